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

    /** A bucket and how many of its tokens a call took; {@code tokens}: a TPM bucket, corrected after the call. */
    private record Taken(Bucket bucket, long amount, boolean tokens) {}

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

    /** The two per-minute limits: a call takes one request, and its estimated prompt tokens. */
    private enum Kind {
        REQUESTS("requests", "rpm"), TOKENS("tokens", "tpm");

        final String header;
        final String key;

        Kind(String header, String key) {
            this.header = header;
            this.key = key;
        }

        Integer limitOf(RateLimit limit) {
            return this == REQUESTS ? limit.requestsPerMinute() : limit.tokensPerMinute();
        }

        String refusalCode() {
            return header + "_rate_limit_exceeded";
        }
    }

    /** Whether taking and correcting waits on the database (PostgreSQL's shared buckets). */
    public boolean shared() {
        return store.shared();
    }

    public Admission admit(List<Scoped> scopes, long estimatedTokens) {
        long estimate = Math.max(1, estimatedTokens);
        Map<String, String> headers = new LinkedHashMap<>();
        List<Taken> taken = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            long tightest = Long.MAX_VALUE;
            for (Scoped s : scopes) {
                Integer limit = kind.limitOf(s.limit());
                if (limit == null) {
                    continue;
                }
                Bucket bucket = store.bucket(key(s, kind.key, limit), perMinute(limit));
                // a prompt larger than the limit may still pass a full bucket
                long amount = kind == Kind.REQUESTS ? 1 : Math.min(estimate, limit);
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(amount);
                if (!probe.isConsumed()) {
                    taken.forEach(t -> t.bucket().addTokens(t.amount())); // a refused call gives back what it took
                    throw refused(kind.refusalCode(), kind.header, s, limit, probe);
                }
                taken.add(new Taken(bucket, amount, kind == Kind.TOKENS));
                if (probe.getRemainingTokens() < tightest) {
                    tightest = probe.getRemainingTokens();
                    put(headers, kind.header, limit, probe);
                }
            }
        }
        return new Admission(headers, taken.stream().filter(Taken::tokens).toList());
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
