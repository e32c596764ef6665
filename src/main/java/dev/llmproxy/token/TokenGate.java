package dev.llmproxy.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.llmproxy.cache.ProjectCachePolicy;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.ProjectChangeListener;
import dev.llmproxy.routing.UpstreamTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Decides whether a presented proxy token may make a request. Token and project state is cached by token hash:
 * entries are refreshed in the background after {@value #REFRESH_MS} ms of use and dropped after
 * {@value #EXPIRE_MS} ms, and dropped at once when this instance changes a token or project. So revocation and
 * deactivation bite within one second without a database round trip per request. Hashes that match no token are
 * remembered for {@value #UNKNOWN_MINUTES} minutes (a token's 256 random bits are never presented before it is
 * issued, and issuing on this instance forgets the hash), so repeating a guess costs no query; guessing new ones is
 * bounded per address by {@code AuthFailures}. Only tokens with {@code max_requests} go to the database every time,
 * for an exact count. {@link #admitFromCache} answers without the database or says it cannot; {@link #admit} may
 * wait on the database and runs on a work thread.
 */
public final class TokenGate implements ProjectChangeListener {
    static final long REFRESH_MS = 500;
    static final long EXPIRE_MS = 1000;
    static final long UNKNOWN_MINUTES = 10;

    private final TokenSecrets secrets;
    private final Jpa jpa;
    private final TokenRepository repository;
    private final KeyCipher cipher;
    private final UsageTouches touches;
    private final Clock clock;
    private final LoadingCache<String, Optional<TokenGrant>> grants;
    private final Cache<String, Boolean> unknown = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(UNKNOWN_MINUTES)).build();

    public TokenGate(TokenSecrets secrets, Jpa jpa, TokenRepository repository, KeyCipher cipher,
                     UsageTouches touches, Clock clock, Executor refreshExecutor) {
        this.secrets = secrets;
        this.jpa = jpa;
        this.repository = repository;
        this.cipher = cipher;
        this.touches = touches;
        this.clock = clock;
        this.grants = Caffeine.newBuilder()
                .maximumSize(100_000)
                .recordStats()
                .refreshAfterWrite(Duration.ofMillis(REFRESH_MS))
                .expireAfterWrite(Duration.ofMillis(EXPIRE_MS))
                .executor(refreshExecutor)
                .build(this::load);
    }

    /**
     * Admits one request from what is cached, without the database: the grant, or empty when the database is needed
     * (not cached, or a {@code max_requests} token); throws {@link TokenRefusedException} when the refusal is known.
     */
    public Optional<TokenGrant> admitFromCache(String presented) {
        String hash = hashOf(presented);
        Optional<TokenGrant> cached = grants.getIfPresent(hash);
        if (cached == null) {
            return Optional.empty();
        }
        TokenGrant grant = cached.orElseThrow(() -> new TokenRefusedException(TokenRefusedException.Reason.INVALID));
        if (grant.limited()) {
            return Optional.empty();
        }
        return Optional.of(admitted(grant, clock.instant()));
    }

    /** Admits one request or throws {@link TokenRefusedException} with the reason; may wait on the database. */
    public TokenGrant admit(String presented) {
        TokenGrant grant = grants.get(hashOf(presented))
                .orElseThrow(() -> new TokenRefusedException(TokenRefusedException.Reason.INVALID));
        return admitted(grant, clock.instant());
    }

    /** The token's hash, after the checks that need no lookup: present, well formed, not a known miss. */
    private String hashOf(String presented) {
        if (presented == null || presented.isBlank()) {
            throw new TokenRefusedException(TokenRefusedException.Reason.MISSING);
        }
        if (!secrets.wellFormed(presented)) {
            throw new TokenRefusedException(TokenRefusedException.Reason.INVALID);
        }
        String hash = secrets.hash(presented);
        if (unknown.getIfPresent(hash) != null) {
            throw new TokenRefusedException(TokenRefusedException.Reason.INVALID);
        }
        return hash;
    }

    private TokenGrant admitted(TokenGrant grant, Instant now) {
        Optional<TokenRefusedException.Reason> refusal = grant.refusalAt(now);
        if (refusal.isPresent()) {
            throw new TokenRefusedException(refusal.get(), grant);
        }
        if (grant.limited()) {
            consumeOne(grant, now);
        } else {
            touches.touch(grant.tokenId(), now);
        }
        return grant;
    }

    private void consumeOne(TokenGrant grant, Instant now) {
        if (!jpa.inTransaction(em -> repository.consumeOne(em, grant.tokenId(), now))) {
            boolean revoked = jpa.inTransaction(em -> repository.require(em, grant.tokenId()).isRevoked());
            throw new TokenRefusedException(revoked ? TokenRefusedException.Reason.REVOKED
                    : TokenRefusedException.Reason.QUOTA_EXHAUSTED, grant);
        }
    }

    /** Hits, misses and loads of the token-check cache, as {@code cache_*{cache="token_checks"}}. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, grants, "token_checks");
    }

    /** Drops the cached state of one token (by hash) after it changed on this instance. */
    public void tokenChanged(String tokenHash) {
        grants.invalidate(tokenHash);
        unknown.invalidate(tokenHash);
    }

    @Override
    public void projectChanged(String projectId) {
        grants.asMap().values().removeIf(g -> g.map(grant -> grant.projectId().equals(projectId)).orElse(false));
    }

    private Optional<TokenGrant> load(String hash) {
        Optional<TokenGrant> loaded = jpa.inTransaction(em -> repository.findByHash(em, hash).map(found -> {
            Token t = found.token();
            var p = found.project();
            return new TokenGrant(t.id(), t.tokenHint(), p.id(), t.expiresAt(), t.isRevoked(),
                    t.maxRequests().isPresent(), p.isActive(), p.provider(),
                    p.upstreams().stream().map(u -> UpstreamTarget.of(u, cipher)).toList(),
                    p.modelAllowlist(), p.allowedOrigins(), t.budget(), p.budget(), t.rateLimit(), p.rateLimit(),
                    new ProjectCachePolicy(p.id(), p.cacheGeneration(), p.cacheTtlSeconds()
                            .map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty())), p.retryUnsafe());
        }));
        if (loaded.isEmpty()) {
            unknown.put(hash, Boolean.TRUE);
        }
        return loaded;
    }
}
