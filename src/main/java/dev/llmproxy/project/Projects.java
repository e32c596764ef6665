package dev.llmproxy.project;

import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.AuditEntry;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/** The project use cases the admin API offers, each one transaction. */
public final class Projects {
    private final Jpa jpa;
    private final AuditLog audit;
    private final ProjectRepository repository;
    private final KeyCipher cipher;
    private final Clock clock;
    private final ProjectChangeListener listener;

    public Projects(Jpa jpa, AuditLog audit, ProjectRepository repository, KeyCipher cipher, Clock clock,
                    ProjectChangeListener listener) {
        this.jpa = jpa;
        this.audit = audit;
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
        this.listener = listener;
    }

    public Project create(Actor actor, String name, Provider provider, String baseUrl, String apiKey,
                          List<String> allowedModels, List<String> allowedOrigins, Optional<Boolean> retryUnsafe) {
        return create(actor, name, provider, baseUrl, apiKey, allowedModels, allowedOrigins, retryUnsafe,
                Deployments.NONE);
    }

    /** {@code deployments}: the deployments of a provider that names them (Azure OpenAI), see {@link Deployments}. */
    public Project create(Actor actor, String name, Provider provider, String baseUrl, String apiKey,
                          List<String> allowedModels, List<String> allowedOrigins, Optional<Boolean> retryUnsafe,
                          Deployments deployments) {
        Project created = uniqueName(name, () -> audit.audited(actor, em -> {
            Project project = new Project(name, provider, baseUrl, apiKey, cipher, clock.instant());
            project.changeAllowedModels(allowedModels, clock.instant());
            project.changeAllowedOrigins(allowedOrigins, clock.instant());
            project.changeRetryUnsafe(retryUnsafe, clock.instant());
            project.changeDeployments(deployments, clock.instant());
            if (repository.nameTaken(em, project.name(), null)) {
                throw new DuplicateProjectNameException(project.name());
            }
            em.persist(project);
            return project;
        }, p -> AuditEntry.success(AuditAction.PROJECT_CREATED, "project", p.id(), AuditEntry.details("name", p.name(),
                "provider", p.provider().id(), "base_url", p.primaryUpstream().effectiveBaseUrl(),
                "api_key_hint", p.primaryUpstream().apiKeyHint(), "retry_unsafe", p.retryUnsafe().orElse(null),
                "deployments", p.deployments().asMap()))));
        listener.projectChanged(created.id()); // its origins count for preflights at once
        return created;
    }

    public Project get(String id) {
        return jpa.inTransaction(em -> repository.require(em, id));
    }

    public Page<Project> list(PageRequest page) {
        return jpa.inTransaction(em -> repository.list(em, page));
    }

    public Project update(Actor actor, String id, ProjectChanges changes) {
        Project updated = uniqueName(changes.name().orElse(""), () -> audit.auditedAll(actor, em -> {
            Project project = repository.require(em, id);
            var now = clock.instant();
            changes.name().ifPresent(name -> {
                if (repository.nameTaken(em, name, id)) {
                    throw new DuplicateProjectNameException(name.strip());
                }
                project.rename(name, now);
            });
            changes.baseUrl().ifPresent(url -> project.changeBaseUrl(url.orElse(null), now));
            changes.apiKey().ifPresent(key -> project.replaceApiKey(key, cipher, now));
            changes.allowedModels().ifPresent(models -> project.changeAllowedModels(models, now));
            changes.allowedOrigins().ifPresent(origins -> project.changeAllowedOrigins(origins, now));
            changes.budget().ifPresent(budget -> project.changeBudget(budget, now));
            if (changes.rpmLimit().isPresent() || changes.tpmLimit().isPresent()) {
                project.changeRateLimit(project.rateLimit().with(changes.rpmLimit(), changes.tpmLimit()), now);
            }
            changes.cacheTtlSeconds().ifPresent(ttl -> project.changeCacheTtl(ttl, now));
            changes.retryUnsafe().ifPresent(allowed -> project.changeRetryUnsafe(allowed, now));
            changes.deployments().ifPresent(named -> project.changeDeployments(named, now));
            changes.active().ifPresent(active -> {
                if (active) {
                    project.activate(now);
                } else {
                    project.deactivate(now);
                }
            });
            return project;
        }, p -> changeEvents(p, changes)));
        listener.projectChanged(id);
        return updated;
    }

    /**
     * Moves the response cache generation of one project (or of all, when {@code projectId} is null) on: no instance
     * serves an older entry once its grants refresh (within a second); returns the projects purged.
     */
    public List<String> purgeCache(Actor actor, String projectId) {
        List<String> purged = audit.audited(actor, em -> {
            List<Project> targets = projectId != null ? List.of(repository.require(em, projectId))
                    : em.createQuery("SELECT p FROM Project p ORDER BY p.id", Project.class).getResultList();
            var now = clock.instant();
            targets.forEach(p -> p.purgeCache(now));
            return targets.stream().map(Project::id).toList();
        }, ids -> AuditEntry.success(AuditAction.CACHE_PURGED, "project", projectId,
                AuditEntry.details("scope", projectId == null ? "all" : "project", "projects", ids.size())));
        purged.forEach(listener::projectChanged);
        return purged;
    }

    /** Adds an upstream to a project. */
    public Upstream addUpstream(Actor actor, String projectId, String name, Provider provider, String baseUrl,
                                String apiKey, List<String> models, int priority) {
        Upstream added = audit.audited(actor, em -> {
            Project project = repository.require(em, projectId);
            return project.addUpstream(name, provider, baseUrl, apiKey, models, priority, cipher, clock.instant());
        }, u -> upstreamEvent(AuditAction.UPSTREAM_CREATED, u));
        listener.projectChanged(projectId);
        return added;
    }

    public Upstream changeUpstream(Actor actor, String projectId, String upstreamId, UpstreamChanges changes) {
        Upstream changed = audit.audited(actor, em -> repository.require(em, projectId)
                .changeUpstream(upstreamId, changes, cipher, clock.instant()),
                u -> upstreamEvent(changes.apiKey().isPresent() ? AuditAction.UPSTREAM_KEY_ROTATED : AuditAction.UPSTREAM_UPDATED, u));
        listener.projectChanged(projectId);
        return changed;
    }

    public void removeUpstream(Actor actor, String projectId, String upstreamId) {
        audit.audited(actor, em -> repository.require(em, projectId).removeUpstream(upstreamId, clock.instant()),
                u -> upstreamEvent(AuditAction.UPSTREAM_DELETED, u));
        listener.projectChanged(projectId);
    }

    private static AuditEntry upstreamEvent(AuditAction action, Upstream u) {
        return AuditEntry.success(action, "project", u.projectId(), AuditEntry.details("upstream_id", u.id(),
                "name", u.name(), "provider", u.provider().id(), "base_url", u.effectiveBaseUrl(),
                "api_key_hint", u.apiKeyHint(), "models", u.models().patterns(), "priority", u.priority()));
    }

    private static List<AuditEntry> changeEvents(Project p, ProjectChanges changes) {
        List<AuditEntry> events = new ArrayList<>();
        if (changes.name().isPresent() || changes.baseUrl().isPresent() || changes.retryUnsafe().isPresent()
                || changes.deployments().isPresent()) {
            events.add(AuditEntry.success(AuditAction.PROJECT_UPDATED, "project", p.id(), AuditEntry.details("name", p.name(),
                    "base_url", p.primaryUpstream().effectiveBaseUrl(), "retry_unsafe", p.retryUnsafe().orElse(null),
                    "deployments", p.deployments().asMap())));
        }
        if (changes.allowedModels().isPresent() || changes.allowedOrigins().isPresent()) {
            events.add(AuditEntry.success(AuditAction.PROJECT_ALLOWLISTS_CHANGED, "project", p.id(), AuditEntry.details(
                    "allowed_models", p.modelAllowlist().patterns(), "allowed_origins", p.allowedOrigins())));
        }
        changes.budget().ifPresent(b -> events.add(AuditEntry.success(AuditAction.PROJECT_BUDGET_CHANGED, "project", p.id(),
                AuditEntry.details("budget_micros", b.map(x -> x.limitMicros()).orElse(null),
                        "budget_period", b.map(x -> x.period().id()).orElse(null)))));
        if (changes.rpmLimit().isPresent() || changes.tpmLimit().isPresent()) {
            events.add(AuditEntry.success(AuditAction.PROJECT_RATE_LIMIT_CHANGED, "project", p.id(), AuditEntry.details(
                    "rpm_limit", p.rateLimit().requestsPerMinute(), "tpm_limit", p.rateLimit().tokensPerMinute())));
        }
        changes.cacheTtlSeconds().ifPresent(ttl -> events.add(AuditEntry.success(AuditAction.PROJECT_CACHE_CHANGED, "project",
                p.id(), AuditEntry.details("cache_ttl_seconds", p.cacheTtlSeconds().orElse(null)))));
        changes.apiKey().ifPresent(k -> events.add(AuditEntry.success(AuditAction.PROJECT_KEY_ROTATED, "project", p.id(),
                AuditEntry.details("api_key_hint", p.primaryUpstream().apiKeyHint()))));
        changes.active().ifPresent(a -> events.add(AuditEntry.success(a ? AuditAction.PROJECT_ACTIVATED : AuditAction.PROJECT_DEACTIVATED,
                "project", p.id(), AuditEntry.details("name", p.name()))));
        if (events.isEmpty()) {
            events.add(AuditEntry.success(AuditAction.PROJECT_UPDATED, "project", p.id(), Map.of()));
        }
        return events;
    }

    /** Two creates racing past the name check meet the unique index; report that as the same conflict. */
    private static Project uniqueName(String name, java.util.function.Supplier<Project> work) {
        try {
            return work.get();
        } catch (PersistenceException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConstraintViolationException) {
                    throw new DuplicateProjectNameException(name.strip());
                }
            }
            throw e;
        }
    }
}
