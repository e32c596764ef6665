package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.limits.Limited;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A team's use of one provider API ({@link #provider()}: what its callers speak): its {@link Upstream}s (where
 * requests go, with which key, in which order), allowlists and limits.
 */
@Entity
@Table(name = "projects")
public class Project extends Limited {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_UPSTREAMS = 20;
    static final int MAX_CACHE_TTL_SECONDS = 7 * 24 * 3600;

    @Id
    private String id;
    private String name;
    @Convert(converter = ProviderConverter.class)
    private Provider provider;
    @Column(name = "is_active")
    private boolean active;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "deactivated_at")
    private Instant deactivatedAt;
    @Column(name = "allowed_models")
    private String allowedModels;
    @Column(name = "allowed_origins")
    private String allowedOrigins;
    @Column(name = "cache_ttl_seconds")
    private Integer cacheTtlSeconds;
    @Column(name = "cache_generation")
    private long cacheGeneration;
    @Column(name = "retry_unsafe")
    private Boolean retryUnsafe;
    private String deployments;
    @Version
    private long version;
    @OneToMany(mappedBy = "project", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    private List<Upstream> upstreams = new ArrayList<>();

    protected Project() {
        // for JPA
    }

    public Project(String name, Provider provider, String baseUrl, String apiKey, KeyCipher cipher, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.name = validName(name);
        this.provider = provider;
        this.active = true;
        this.createdAt = now;
        this.updatedAt = now;
        upstreams.add(new Upstream(id, this, Upstream.DEFAULT_NAME, provider, baseUrl, apiKey, List.of(), 0, cipher,
                now));
    }

    public void rename(String newName, Instant now) {
        this.name = validName(newName);
        this.updatedAt = now;
    }

    /** Changes the base URL of a project with one upstream (the way projects were configured before #5). */
    public void changeBaseUrl(String newBaseUrl, Instant now) {
        onlyUpstream("base_url").changeBaseUrl(newBaseUrl, now);
        this.updatedAt = now;
    }

    /** Replaces the key of a project with one upstream. */
    public void replaceApiKey(String apiKey, KeyCipher cipher, Instant now) {
        onlyUpstream("api_key").replaceApiKey(apiKey, cipher, now);
        this.updatedAt = now;
    }

    private Upstream onlyUpstream(String field) {
        if (upstreams.size() != 1) {
            throw new UpstreamConflictException("several_upstreams", "Project '" + id + "' has " + upstreams.size()
                    + " upstreams; change '" + field + "' on one of them under /manage/projects/" + id
                    + "/upstreams");
        }
        return upstreams.get(0);
    }

    /** The upstreams in the order requests try them: by priority, then name. */
    public List<Upstream> upstreams() {
        return upstreams.stream().sorted(Comparator.comparingInt(Upstream::priority).thenComparing(Upstream::name))
                .toList();
    }

    /** The first upstream requests try. */
    public Upstream primaryUpstream() {
        return upstreams().get(0);
    }

    public Upstream upstream(String upstreamId) {
        return upstreams.stream().filter(u -> u.id().equals(upstreamId)).findFirst()
                .orElseThrow(() -> new UpstreamNotFoundException(id, upstreamId));
    }

    public Upstream addUpstream(String upstreamName, Provider upstreamProvider, String upstreamBaseUrl,
                                String apiKey, List<String> models, int priority, KeyCipher cipher, Instant now) {
        if (upstreamProvider == null) {
            throw new InvalidFieldException("provider", "is required");
        }
        if (!provider.speaksSameApiAs(upstreamProvider)) {
            throw new InvalidFieldException("provider", "must speak the project's API (" + provider.id()
                    + "): requests are forwarded unchanged, got '" + upstreamProvider.id() + "'");
        }
        if (upstreams.size() >= MAX_UPSTREAMS) {
            throw new UpstreamConflictException("too_many_upstreams", "Project '" + id + "' already has "
                    + MAX_UPSTREAMS + " upstreams");
        }
        Upstream added = new Upstream(null, this, upstreamName, upstreamProvider, upstreamBaseUrl, apiKey,
                models, priority, cipher, now);
        requireUniqueName(added.name(), added.id());
        upstreams.add(added);
        this.updatedAt = now;
        return added;
    }

    public Upstream changeUpstream(String upstreamId, UpstreamChanges changes, KeyCipher cipher, Instant now) {
        Upstream upstream = upstream(upstreamId);
        changes.name().ifPresent(n -> {
            requireUniqueName(n, upstreamId);
            upstream.rename(n, now);
        });
        changes.baseUrl().ifPresent(url -> upstream.changeBaseUrl(url.orElse(null), now));
        changes.apiKey().ifPresent(key -> upstream.replaceApiKey(key, cipher, now));
        changes.models().ifPresent(models -> upstream.changeModels(models, now));
        changes.priority().ifPresent(p -> upstream.changePriority(p, now));
        this.updatedAt = now;
        return upstream;
    }

    /** Removes an upstream; a project keeps at least one. */
    public Upstream removeUpstream(String upstreamId, Instant now) {
        Upstream upstream = upstream(upstreamId);
        if (upstreams.size() == 1) {
            throw new UpstreamConflictException("last_upstream", "Upstream '" + upstream.name()
                    + "' is the only one of project '" + id + "'; add another before removing it");
        }
        upstreams.remove(upstream);
        this.updatedAt = now;
        return upstream;
    }

    private void requireUniqueName(String upstreamName, String exceptId) {
        if (upstreams.stream().anyMatch(u -> u.name().equals(upstreamName) && !u.id().equals(exceptId))) {
            throw new UpstreamConflictException("duplicate_upstream_name", "Project '" + id
                    + "' already has an upstream named '" + upstreamName + "'");
        }
    }

    public void activate(Instant now) {
        if (!active) {
            active = true;
            deactivatedAt = null;
            updatedAt = now;
        }
    }

    public void deactivate(Instant now) {
        if (active) {
            active = false;
            deactivatedAt = now;
            updatedAt = now;
        }
    }

    /** Model globs this project may call; empty: every model. */
    public ModelAllowlist modelAllowlist() {
        return new ModelAllowlist(CommaList.split(allowedModels));
    }

    public void changeAllowedModels(List<String> patterns, Instant now) {
        this.allowedModels = CommaList.join(new ModelAllowlist(patterns).patterns());
        this.updatedAt = now;
    }

    /** Browser origins allowed to call with this project's tokens; empty: none. */
    public List<String> allowedOrigins() {
        return CommaList.split(allowedOrigins);
    }

    public void changeAllowedOrigins(List<String> origins, Instant now) {
        this.allowedOrigins = CommaList.join(Origins.validate(origins));
        this.updatedAt = now;
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidFieldException("name", "is required and must not be blank");
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new InvalidFieldException("name", "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return trimmed;
    }

    @Override
    protected void touched(Instant now) {
        this.updatedAt = now;
    }

    /** How long the response cache keeps this project's answers; empty: the project does not cache. */
    public Optional<Integer> cacheTtlSeconds() {
        return Optional.ofNullable(cacheTtlSeconds);
    }

    public void changeCacheTtl(Optional<Long> seconds, Instant now) {
        if (seconds.isPresent() && (seconds.get() < 1 || seconds.get() > MAX_CACHE_TTL_SECONDS)) {
            throw new InvalidFieldException("cache_ttl_seconds",
                    "must be between 1 and " + MAX_CACHE_TTL_SECONDS + " (7 days), or null to turn the cache off");
        }
        this.cacheTtlSeconds = seconds.map(Long::intValue).orElse(null);
        this.updatedAt = now;
    }

    /**
     * Whether this project's non-idempotent calls may be sent again after a failure the provider may have processed
     * (and billed); empty: the instance's {@code upstream-retry-unsafe} setting decides.
     */
    /** The deployments this project names (Azure OpenAI), see {@link Deployments}. */
    public Deployments deployments() {
        return Deployments.parse(deployments);
    }

    /** Replaces the deployments; only a provider that names deployments has them. */
    public void changeDeployments(Deployments named, Instant now) {
        if (!named.isEmpty() && !provider.definition().namesDeployments()) {
            throw new InvalidFieldException("deployments", "are for providers that name deployments (azure-openai),"
                    + " not " + provider.id());
        }
        this.deployments = named.stored();
        this.updatedAt = now;
    }

    public Optional<Boolean> retryUnsafe() {
        return Optional.ofNullable(retryUnsafe);
    }

    public void changeRetryUnsafe(Optional<Boolean> allowed, Instant now) {
        this.retryUnsafe = allowed.orElse(null);
        this.updatedAt = now;
    }

    /** Part of every cache key: moving it on makes every instance stop serving the project's older entries. */
    public long cacheGeneration() {
        return cacheGeneration;
    }

    public void purgeCache(Instant now) {
        this.cacheGeneration++;
        this.updatedAt = now;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Provider provider() {
        return provider;
    }

    public boolean isActive() {
        return active;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Optional<Instant> deactivatedAt() {
        return Optional.ofNullable(deactivatedAt);
    }
}
