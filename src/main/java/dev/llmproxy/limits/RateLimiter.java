package dev.llmproxy.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Requests and tokens per minute for a call's token and project, with Bucket4j token buckets (greedy refill over a
 * minute). A call takes one request from every RPM bucket and its estimated prompt tokens from every TPM bucket;
 * after the call the TPM buckets are corrected with the real usage (taking more, even below zero, or giving back).
 * A refused call gives back what it took. Headers follow OpenAI's {@code x-ratelimit-*} convention and report the
 * tightest bucket of each kind.
 */
public final class RateLimiter {
    private final BucketStore store;

    public RateLimiter(BucketStore store) {
        this.store = store;
    }

    /** A rate limit and whose it is. */
    public record Scoped(String scope, String scopeId, RateLimit limit) {}

    /** A bucket and how many of its tokens a call took. */
    private record Taken(Bucket bucket, long amount) {}

    /** What a call took; {@link #correct} settles its token estimate once. */
    public static final class Admission {
        private final Map<String, String> headers;
        private final List<Taken> tokenBuckets;
        private boolean corrected;

        Admission(Map<String, String> headers, List<Taken> tokenBuckets) {
            this.headers = headers;
            this.tokenBuckets = tokenBuckets;
        }

        public Map<String, String> headers() {
            return headers;
        }

        public synchronized void correct(long actualTokens) {
            if (corrected) {
                return;
            }
            corrected = true;
            for (Taken taken : tokenBuckets) {
                long difference = actualTokens - taken.amount();
                if (difference > 0) {
                    taken.bucket().consumeIgnoringRateLimits(difference);
                } else if (difference < 0) {
                    taken.bucket().addTokens(-difference);
                }
            }
        }
    }

    public Admission admit(List<Scoped> scopes, long estimatedTokens) {
        long estimate = Math.max(1, estimatedTokens);
        Map<String, String> headers = new LinkedHashMap<>();
        List<Bucket> requestBuckets = new ArrayList<>();
        List<Taken> tokenBuckets = new ArrayList<>();
        long requestRemaining = Long.MAX_VALUE;
        long tokenRemaining = Long.MAX_VALUE;
        for (Scoped s : scopes) {
            Integer rpm = s.limit().requestsPerMinute();
            if (rpm != null) {
                Bucket bucket = store.bucket(key(s, "rpm", rpm), perMinute(rpm));
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                if (!probe.isConsumed()) {
                    giveBack(requestBuckets, tokenBuckets);
                    throw refused("requests_rate_limit_exceeded", "requests", s, rpm, probe);
                }
                requestBuckets.add(bucket);
                if (probe.getRemainingTokens() < requestRemaining) {
                    requestRemaining = probe.getRemainingTokens();
                    put(headers, "requests", rpm, probe);
                }
            }
        }
        for (Scoped s : scopes) {
            Integer tpm = s.limit().tokensPerMinute();
            if (tpm != null) {
                Bucket bucket = store.bucket(key(s, "tpm", tpm), perMinute(tpm));
                long amount = Math.min(estimate, tpm); // a prompt larger than the limit may still pass a full bucket
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(amount);
                if (!probe.isConsumed()) {
                    giveBack(requestBuckets, tokenBuckets);
                    throw refused("tokens_rate_limit_exceeded", "tokens", s, tpm, probe);
                }
                tokenBuckets.add(new Taken(bucket, amount));
                if (probe.getRemainingTokens() < tokenRemaining) {
                    tokenRemaining = probe.getRemainingTokens();
                    put(headers, "tokens", tpm, probe);
                }
            }
        }
        return new Admission(headers, tokenBuckets);
    }

    private static void giveBack(List<Bucket> requestBuckets, List<Taken> tokenBuckets) {
        requestBuckets.forEach(b -> b.addTokens(1));
        tokenBuckets.forEach(t -> t.bucket().addTokens(t.amount()));
    }

    private static RateLimitedException refused(String code, String kind, Scoped s, int limit, ConsumptionProbe probe) {
        Map<String, String> headers = new LinkedHashMap<>();
        put(headers, kind, limit, probe);
        long retryAfter = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        headers.put("Retry-After", String.valueOf(retryAfter));
        return new RateLimitedException(code, "The " + s.scope() + "'s limit of " + limit + " " + kind
                + " per minute is reached; retry after " + retryAfter + " s", headers);
    }

    /** x-ratelimit-limit-*, -remaining-* and -reset-* (time until the bucket is full again), as OpenAI sends them. */
    private static void put(Map<String, String> headers, String kind, int limit, ConsumptionProbe probe) {
        long remaining = Math.max(0, probe.getRemainingTokens());
        long resetNanos = (long) ((limit - remaining) * (TimeUnit.MINUTES.toNanos(1) / (double) limit));
        headers.put("x-ratelimit-limit-" + kind, String.valueOf(limit));
        headers.put("x-ratelimit-remaining-" + kind, String.valueOf(remaining));
        headers.put("x-ratelimit-reset-" + kind, duration(Math.max(resetNanos, probe.getNanosToWaitForRefill())));
    }

    static String duration(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = (ms + 999) / 1000;
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    private static String key(Scoped s, String kind, int limit) {
        // the limit is part of the key: changing it starts a fresh bucket with the new capacity
        return s.scope() + ":" + s.scopeId() + ":" + kind + ":" + limit;
    }

    private static BucketConfiguration perMinute(int limit) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                .build();
    }
}
