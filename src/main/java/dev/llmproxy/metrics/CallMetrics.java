package dev.llmproxy.metrics;

import dev.llmproxy.routing.RetryPolicy;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Counts every finished call from its record: latency histograms (total and time to first byte) by provider, model
 * and status, upstream failures and retries by provider, and response-cache hits. Records are what every call ends
 * in, refusals included, so the metrics and the usage reports agree.
 */
public final class CallMetrics {
    /** Histogram buckets: from a cache hit or a refusal (ms) to a long reasoning answer (minutes). */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
        Duration.ofSeconds(120), Duration.ofSeconds(300)};
    /** The proxy's own codes for an upstream that could not be reached or did not answer in time. */
    private static final Set<String> UPSTREAM_FAILURES = Set.of("upstream_unavailable", "upstream_timeout");

    private final MeterRegistry registry;
    private final ModelLabel models;

    /** @param prices the price table, whose entries are the model labels (see {@link ModelLabel}) */
    public CallMetrics(MeterRegistry registry, Supplier<PriceTable> prices) {
        this.registry = registry;
        this.models = new ModelLabel(200, prices);
    }

    /**
     * Counts one finished call.
     *
     * @param namedByProject whether the call's project names a model exactly (its allowlist, its upstreams' patterns)
     */
    public void record(RequestRecord r, Predicate<String> namedByProject) {
        String provider = r.provider() == null ? "none" : r.provider();
        Tags tags = Tags.of("provider", provider, "model", models.of(r.model(), namedByProject),
                "status", String.valueOf(r.status()));
        Timer.builder("llmproxy.requests").description("Calls to /v1/*, refusals and cache hits included")
                .tags(tags).serviceLevelObjectives(BUCKETS).register(registry)
                .record(r.durationMs(), TimeUnit.MILLISECONDS);
        if (r.ttfbMs() != null) {
            Timer.builder("llmproxy.time.to.first.byte").description("From the call's arrival to the first byte of"
                    + " the answer").tags(tags).serviceLevelObjectives(BUCKETS).register(registry)
                    .record(r.ttfbMs(), TimeUnit.MILLISECONDS);
        }
        if (r.attempts() > 1) {
            Counter.builder("llmproxy.upstream.retries").description("Attempts after the first: retries and"
                    + " fallbacks").tag("provider", provider).register(registry).increment(r.attempts() - 1);
        }
        long failed = failedAttempts(r);
        if (failed > 0) {
            Counter.builder("llmproxy.upstream.errors").description("Upstream attempts that failed: 408, 429, 5xx,"
                    + " connection failures, timeouts").tag("provider", provider).register(registry).increment(failed);
        }
        if (r.cacheHit()) {
            Counter.builder("llmproxy.cache.hits").description("Calls answered from the response cache")
                    .tag("provider", provider).register(registry).increment();
        }
    }

    /** Every attempt before the last failed; the last did if the call ended in an upstream failure. */
    static long failedAttempts(RequestRecord r) {
        if (r.attempts() == 0) {
            return 0;
        }
        boolean lastFailed = (r.errorCode() != null && UPSTREAM_FAILURES.contains(r.errorCode()))
                || RetryPolicy.worthRetrying(r.status());
        return r.attempts() - 1 + (lastFailed ? 1 : 0);
    }
}
