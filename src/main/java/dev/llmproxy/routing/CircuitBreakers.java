package dev.llmproxy.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.llmproxy.config.RoutingSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * One Resilience4j circuit breaker per upstream and version on this instance: count-based failure rate over the
 * last calls, open for a while, then half-open for a few trial calls. A changed upstream (new key or URL) starts
 * closed; breakers of upstreams no longer used are forgotten after an hour.
 */
public final class CircuitBreakers {
    /** What the admin API shows of a breaker; the failure rate is null until the minimum calls were made. */
    public record View(String state, int calls, int failedCalls, Float failureRatePercent) {
        static final View UNUSED = new View("closed", 0, 0, null);
    }

    private final CircuitBreakerConfig config;
    private final Cache<String, CircuitBreaker> breakers = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(1)).build();

    public CircuitBreakers(RoutingSettings settings) {
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindowCalls())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRate())
                .waitDurationInOpenState(Duration.ofMillis(settings.breakerOpenMs()))
                .permittedNumberOfCallsInHalfOpenState(settings.breakerHalfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // Latency is the timeouts' business; a long answer is not a failure.
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .build();
    }

    CircuitBreaker of(UpstreamTarget target) {
        return breakers.get(key(target.id(), target.version()), name -> CircuitBreaker.of(name, config));
    }

    /** The breaker of an upstream at its current version on this instance. */
    public View view(String upstreamId, long version) {
        CircuitBreaker breaker = breakers.getIfPresent(key(upstreamId, version));
        if (breaker == null) {
            return View.UNUSED;
        }
        var metrics = breaker.getMetrics();
        return new View(breaker.getState().name().toLowerCase(Locale.ROOT), metrics.getNumberOfBufferedCalls(),
                metrics.getNumberOfFailedCalls(), metrics.getFailureRate() < 0 ? null : metrics.getFailureRate());
    }

    private static String key(String upstreamId, long version) {
        return upstreamId + "@" + version;
    }
}
