package dev.llmproxy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.llmproxy.config.CacheSettings;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * This instance's response cache: a Caffeine cache bounded by the bytes of the answers it holds
 * ({@code cache-max-bytes}; least used first out), each entry living for its project's {@code cache_ttl_seconds}.
 * Only whole 200 answers of at most {@code cache-max-entry-bytes} are kept. {@code cache-max-bytes=0} turns it off.
 */
public final class ResponseCache {
    private final CacheSettings settings;
    private final Clock clock;
    private final Cache<CacheKey, CachedResponse> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stores = new LongAdder();

    /** What the admin API shows of the cache on this instance. */
    public record Stats(long entries, long bytes, long maxBytes, long maxEntryBytes, long hits, long misses,
                        long stores) {
    }

    public ResponseCache(CacheSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(Math.max(settings.maxBytes(), 1))
                .recordStats()
                .weigher((CacheKey key, CachedResponse value) -> key.weight() + value.body().length
                        + (value.contentType() == null ? 0 : value.contentType().length()))
                .expireAfter(new Expiry<CacheKey, CachedResponse>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, CachedResponse value, long currentTime) {
                        return TimeUnit.SECONDS.toNanos(value.ttlSeconds());
                    }

                    @Override
                    public long expireAfterUpdate(CacheKey key, CachedResponse value, long currentTime,
                                                  long currentDuration) {
                        return TimeUnit.SECONDS.toNanos(value.ttlSeconds());
                    }

                    @Override
                    public long expireAfterRead(CacheKey key, CachedResponse value, long currentTime,
                                                long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** Size, hits, misses and evictions of the response cache, as {@code cache_*{cache="responses"}}. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, entries, "responses");
        io.micrometer.core.instrument.Gauge.builder("llmproxy.cache.bytes", this, c -> c.stats().bytes())
                .description("Bytes held by the response cache").register(registry);
    }

    public boolean enabled() {
        return settings.maxBytes() > 0;
    }

    /**
     * Decides what the cache does for one call and, when the caller may be served from it, looks the answer up.
     *
     * @param deterministic the same request gets the same answer (and it is not streamed)
     * @param key           computed only when the cache takes part
     */
    public CacheLookup lookup(ProjectCachePolicy project, String cacheControl, boolean deterministic,
                              Supplier<CacheKey> key) {
        CacheDirective directive = CacheDirective.parse(cacheControl);
        if (directive.mode() == CacheDirective.Mode.BYPASS) {
            return project.ttlSeconds().isPresent() && cacheControl == null
                    ? CacheLookup.bypass(this, "not-requested") : CacheLookup.bypass(this, null);
        }
        if (!enabled()) {
            return CacheLookup.bypass(this, "cache-off");
        }
        if (project.ttlSeconds().isEmpty()) {
            return CacheLookup.bypass(this, "project-cache-off");
        }
        if (!deterministic) {
            return CacheLookup.bypass(this, "not-deterministic");
        }
        CacheKey k = key.get();
        int ttl = project.ttlSeconds().getAsInt();
        if (directive.mode() == CacheDirective.Mode.REFRESH) {
            misses.increment();
            return CacheLookup.forward(this, k, ttl, "request");
        }
        CachedResponse found = entries.getIfPresent(k);
        if (found == null) {
            misses.increment();
            return CacheLookup.forward(this, k, ttl, "miss");
        }
        if (found.ageSeconds(clock.instant()) > directive.maxAgeSeconds()) {
            misses.increment();
            return CacheLookup.forward(this, k, ttl, "stale");
        }
        hits.increment();
        return CacheLookup.hit(this, found);
    }

    int maxEntryBytes() {
        return settings.maxEntryBytes();
    }

    Clock clock() {
        return clock;
    }

    void store(CacheKey key, CachedResponse response) {
        entries.put(key, response);
        stores.increment();
    }

    /** Drops this instance's entries of one project; returns how many. Other instances stop using theirs when
     * the project's generation moves on. */
    public long purge(String projectId) {
        long before = entries.estimatedSize();
        entries.asMap().keySet().removeIf(k -> k.projectId().equals(projectId));
        return Math.max(0, before - entries.estimatedSize());
    }

    public long purgeAll() {
        long before = entries.estimatedSize();
        entries.invalidateAll();
        return before;
    }

    public Stats stats() {
        entries.cleanUp();
        long bytes = entries.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
        return new Stats(entries.estimatedSize(), bytes, settings.maxBytes(), settings.maxEntryBytes(), hits.sum(),
                misses.sum(), stores.sum());
    }
}
