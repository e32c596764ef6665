package dev.llmproxy.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.llmproxy.DomainException;
import dev.llmproxy.cache.ProjectCachePolicy;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.ProjectChangeListener;
import dev.llmproxy.routing.UpstreamTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides whether a presented proxy token may make a request. Token and project state is cached by token hash:
 * entries are refreshed in the background after {@value #REFRESH_MS} ms of use, and a check older than
 * {@value #EXPIRE_MS} ms is made again before it is used, and dropped at once when this instance changes a token or
 * project. So revocation and deactivation bite within one second without a database round trip per request. Hashes
 * that match no token are remembered for {@value #UNKNOWN_MINUTES} minutes (a token's 256 random bits are never
 * presented before it is issued, and issuing on this instance forgets the hash), so repeating a guess costs no query;
 * guessing new ones is bounded per address by {@code AuthFailures}. Only tokens with {@code max_requests} go to the
 * database every time, for an exact count. {@link #admitFromCache} answers without the database or says it cannot;
 * {@link #admit} may wait on the database and runs on a work thread.
 * <p>
 * While the database does not answer (a check failed, and none has succeeded since), a token checked before goes on
 * being admitted from its last check for the outage grace ({@code database-outage-grace-seconds}, counted from that
 * check): a revocation made elsewhere in the last second before the outage may bite only that much later, and none
 * can be made during it. A token with no check that recent, or never checked, is refused with
 * {@link TokenCheckUnavailableException} (503) at once.
 */
public final class TokenGate implements ProjectChangeListener {
    static final long REFRESH_MS = 500;
    static final long EXPIRE_MS = 1000;
    static final long UNKNOWN_MINUTES = 10;
    private static final Logger LOG = Logger.getLogger(TokenGate.class.getName());

    private final TokenSecrets secrets;
    private final Jpa jpa;
    private final TokenRepository repository;
    private final KeyCipher cipher;
    private final UsageTouches touches;
    private final Clock clock;
    /** How old a check may be and still admit while the database does not answer: the grace, at least EXPIRE_MS. */
    private final long usableWhileFailingMs;
    private final LoadingCache<String, Check> grants;
    /** When the first check of the current outage failed, in the clock's millis; 0 while checks succeed. */
    private final AtomicLong failingSince = new AtomicLong();
    private final Cache<String, Boolean> unknown = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(UNKNOWN_MINUTES)).build();

    /** A token's state as the database gave it (empty: no such token), and when, in the clock's millis. */
    private record Check(Optional<TokenGrant> grant, long checkedAtMs) {}

    /** @param outageGrace how long a check stays usable while the database does not answer (see the class doc) */
    public TokenGate(TokenSecrets secrets, Jpa jpa, TokenRepository repository, KeyCipher cipher,
                     UsageTouches touches, Clock clock, Executor refreshExecutor, Duration outageGrace) {
        this.secrets = secrets;
        this.jpa = jpa;
        this.repository = repository;
        this.cipher = cipher;
        this.touches = touches;
        this.clock = clock;
        this.usableWhileFailingMs = Math.max(EXPIRE_MS, outageGrace.toMillis());
        this.grants = Caffeine.newBuilder()
                .maximumSize(100_000)
                .recordStats()
                .refreshAfterWrite(Duration.ofMillis(REFRESH_MS))
                .expireAfterAccess(Duration.ofMillis(usableWhileFailingMs + EXPIRE_MS))
                .executor(refreshExecutor)
                .build(new CacheLoader<>() {
                    @Override
                    public Check load(String hash) {
                        return checked(hash);
                    }

                    @Override
                    public Check reload(String hash, Check old) {
                        try {
                            return checked(hash);
                        } catch (RuntimeException e) {
                            return old; // the database did not answer: the last check stays, and ages
                        }
                    }
                });
    }

    /**
     * Admits one request from what is cached, without the database: the grant, or empty when the database is needed
     * (not cached, or a {@code max_requests} token); throws {@link TokenRefusedException} when the refusal is known.
     */
    public Optional<TokenGrant> admitFromCache(String presented) {
        String hash = hashOf(presented);
        Check cached = grants.getIfPresent(hash);
        long now = clock.millis();
        if (cached == null || !(fresh(cached, now) || failingSince.get() != 0 && withinGrace(cached, now))) {
            return Optional.empty();
        }
        TokenGrant grant = cached.grant()
                .orElseThrow(() -> new TokenRefusedException(TokenRefusedException.Reason.INVALID));
        if (grant.limited()) {
            return Optional.empty();
        }
        return Optional.of(admitted(grant, clock.instant()));
    }

    /**
     * Admits one request or throws {@link TokenRefusedException} with the reason; may wait on the database. Throws
     * {@link TokenCheckUnavailableException} when the token needs a check the database cannot give.
     */
    public TokenGrant admit(String presented) {
        String hash = hashOf(presented);
        TokenGrant grant = current(hash).grant()
                .orElseThrow(() -> new TokenRefusedException(TokenRefusedException.Reason.INVALID));
        try {
            return admitted(grant, clock.instant());
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TokenCheckUnavailableException(grant, e); // counting a max_requests token needs the database
        }
    }

    /**
     * A check recent enough to use: the cached one, a new one, or, while the database fails, one within the grace.
     * Callers of one token wait for one check, not one each (the map's compute, as a cache load would).
     */
    private Check current(String hash) {
        Check cached = grants.getIfPresent(hash);
        if (cached != null && fresh(cached, clock.millis())) {
            return cached;
        }
        RuntimeException[] failure = new RuntimeException[1];
        Check check = grants.asMap().compute(hash, (key, last) -> {
            if (last != null && fresh(last, clock.millis())) {
                return last; // checked by another caller meanwhile
            }
            try {
                return checked(key);
            } catch (RuntimeException e) {
                failure[0] = e;
                return last; // the last check stays, and ages
            }
        });
        if (failure[0] == null) {
            return check;
        }
        if (check != null && withinGrace(check, clock.millis())) {
            return check;
        }
        throw new TokenCheckUnavailableException(null, failure[0]);
    }

    private static boolean fresh(Check check, long now) {
        return now - check.checkedAtMs() <= EXPIRE_MS;
    }

    private boolean withinGrace(Check check, long now) {
        return check.grant().isPresent() && now - check.checkedAtMs() <= usableWhileFailingMs;
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
        grants.asMap().values().removeIf(c -> c.grant().map(grant -> grant.projectId().equals(projectId))
                .orElse(false));
    }

    /** Whether token checks fail now (the database does not answer): since when, in the clock's millis. */
    public OptionalLong failingSince() {
        long since = failingSince.get();
        return since == 0 ? OptionalLong.empty() : OptionalLong.of(since);
    }

    /** A check took longer than a call may wait: the database does not answer, as if it had failed. */
    public void checkOverdue() {
        failing(null);
    }

    private void failing(RuntimeException cause) {
        if (failingSince.compareAndSet(0, Math.max(1, clock.millis()))) {
            LOG.log(Level.WARNING, "Token checks fail: the database does not answer" + (cause == null ? " in time"
                    : "") + ". Tokens checked in the last " + usableWhileFailingMs / 1000 + " s are admitted"
                    + " from their last check until then; others are refused with 503 database_unavailable", cause);
        }
    }

    /** Checks the token in the database; notes when checks begin to fail, and when they succeed again. */
    private Check checked(String hash) {
        Optional<TokenGrant> loaded;
        try {
            loaded = load(hash);
        } catch (RuntimeException e) {
            failing(e);
            throw e;
        }
        long since = failingSince.getAndSet(0);
        if (since != 0) {
            LOG.info(() -> "Token checks succeed again after " + (clock.millis() - since) + " ms");
        }
        return new Check(loaded, clock.millis());
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
                            .map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty())), p.retryUnsafe(),
                    p.deployments());
        }));
        if (loaded.isEmpty()) {
            unknown.put(hash, Boolean.TRUE);
        }
        return loaded;
    }
}
