package dev.llmproxy.routing;

import dev.llmproxy.config.RoutingSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The attempts of one request: the upstreams serving its model in priority order; on each, the first try and up to
 * {@code upstream-retries} retries (after {@code Retry-After} or a doubling back-off), then the next upstream. An
 * upstream whose breaker refuses is skipped. Whether a failure may be retried at all is its {@link RetryPolicy}'s
 * call. Not thread-safe: one exchange drives it, one attempt at a time.
 */
public final class RoutePlan {
    private final List<UpstreamTarget> candidates;
    private final CircuitBreakers breakers;
    private final RoutingSettings settings;
    private final RetryPolicy retries;
    private int index = -1;
    private int triesOnCurrent;
    private int attempts;
    private boolean skippedOpen;

    private RoutePlan(List<UpstreamTarget> candidates, CircuitBreakers breakers, RoutingSettings settings,
                      RetryPolicy retries) {
        this.candidates = candidates;
        this.breakers = breakers;
        this.settings = settings;
        this.retries = retries;
    }

    /** The plan over the upstreams (already in priority order) that serve {@code model}. */
    public static RoutePlan forModel(List<UpstreamTarget> upstreams, String model, CircuitBreakers breakers,
                                     RoutingSettings settings, RetryPolicy retries) {
        return new RoutePlan(upstreams.stream().filter(u -> u.serves(model)).toList(), breakers, settings, retries);
    }

    /** Which failures of this request may be retried (or sent to the next upstream). */
    public RetryPolicy retries() {
        return retries;
    }

    public boolean hasCandidates() {
        return !candidates.isEmpty();
    }

    /** The first attempt; empty when every candidate's breaker is open. */
    public Optional<Attempt> first() {
        return advance();
    }

    /**
     * After an attempt failed before its first byte reached the caller, and its {@link #retries} allow another: a retry of the same upstream (with the wait
     * before it), else the next upstream whose breaker allows a call; empty when nothing is left.
     *
     * @param retryAfterMs what the failed upstream asked to wait, if it said
     */
    public Optional<Attempt> next(OptionalLong retryAfterMs) {
        UpstreamTarget current = candidates.get(index);
        if (triesOnCurrent <= settings.retries()) {
            long delay = retryAfterMs.orElse((long) settings.retryBackoffMs() << (triesOnCurrent - 1));
            CircuitBreaker breaker = breakers.of(current);
            if (delay <= settings.retryMaxWaitMs() && breaker.tryAcquirePermission()) {
                triesOnCurrent++;
                return Optional.of(new Attempt(current, breaker, ++attempts, delay));
            }
        }
        return advance();
    }

    private Optional<Attempt> advance() {
        for (int i = index + 1; i < candidates.size(); i++) {
            CircuitBreaker breaker = breakers.of(candidates.get(i));
            if (breaker.tryAcquirePermission()) {
                index = i;
                triesOnCurrent = 1;
                return Optional.of(new Attempt(candidates.get(i), breaker, ++attempts, 0));
            }
            skippedOpen = true;
        }
        index = candidates.size() - 1;
        return Optional.empty();
    }

    /** Whether an upstream was passed over because its breaker was open. */
    public boolean skippedOpenCircuit() {
        return skippedOpen;
    }

    /** Attempts made so far. */
    public int attempts() {
        return attempts;
    }

    /** How long an open breaker waits before trial calls: the longest a caller refused for it needs to wait. */
    public long breakerOpenMs() {
        return settings.breakerOpenMs();
    }

    /**
     * One call to one upstream. Tell its breaker exactly once how it went: {@link #succeeded}, {@link #failed}
     * (the upstream's fault), or {@link #abandoned} (the caller left; says nothing about the upstream).
     */
    public static final class Attempt {
        private final UpstreamTarget target;
        private final CircuitBreaker breaker;
        private final int number;
        private final long delayMs;
        private long startNanos;
        private boolean reported;

        Attempt(UpstreamTarget target, CircuitBreaker breaker, int number, long delayMs) {
            this.target = target;
            this.breaker = breaker;
            this.number = number;
            this.delayMs = delayMs;
        }

        public UpstreamTarget target() {
            return target;
        }

        /** 1 for the first attempt of the request, counting retries and fallbacks. */
        public int number() {
            return number;
        }

        /** How long to wait before sending this attempt. */
        public long delayMs() {
            return delayMs;
        }

        public void started() {
            startNanos = System.nanoTime();
        }

        public synchronized void succeeded() {
            if (!reported) {
                reported = true;
                breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
        }

        public synchronized void failed(Throwable cause) {
            if (!reported) {
                reported = true;
                breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, cause);
            }
        }

        public synchronized void abandoned() {
            if (!reported) {
                reported = true;
                breaker.releasePermission();
            }
        }
    }
}
