package dev.llmproxy.project;

import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.proxy.Provider;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import org.hibernate.exception.ConstraintViolationException;

/** The project use cases the admin API offers, each one transaction. */
public final class Projects {
    private final Jpa jpa;
    private final ProjectRepository repository;
    private final KeyCipher cipher;
    private final Clock clock;
    private final ProjectChangeListener listener;

    public Projects(Jpa jpa, ProjectRepository repository, KeyCipher cipher, Clock clock,
                    ProjectChangeListener listener) {
        this.jpa = jpa;
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
        this.listener = listener;
    }

    public Project create(String name, Provider provider, String baseUrl, String apiKey) {
        return uniqueName(name, () -> jpa.inTransaction(em -> {
            Project project = new Project(name, provider, baseUrl, apiKey, cipher, clock.instant());
            if (repository.nameTaken(em, project.name(), null)) {
                throw new DuplicateProjectNameException(project.name());
            }
            em.persist(project);
            return project;
        }));
    }

    public Project get(String id) {
        return jpa.inTransaction(em -> repository.require(em, id));
    }

    public Page<Project> list(PageRequest page) {
        return jpa.inTransaction(em -> repository.list(em, page));
    }

    public Project update(String id, ProjectChanges changes) {
        Project updated = uniqueName(changes.name().orElse(""), () -> jpa.inTransaction(em -> {
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
            changes.active().ifPresent(active -> {
                if (active) {
                    project.activate(now);
                } else {
                    project.deactivate(now);
                }
            });
            return project;
        }));
        listener.projectChanged(id);
        return updated;
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
