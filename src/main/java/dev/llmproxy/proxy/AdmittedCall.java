package dev.llmproxy.proxy;

import dev.llmproxy.cache.CacheLookup;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.usage.RequestRecord;
import dev.llmproxy.usage.UsageMeter;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A call the admission let through: the body to send, the attempts to make, the cache's part, the meter for its
 * usage, and what it holds on the rate limits and budgets until {@link #settleOn} gives it back or charges it.
 */
final class AdmittedCall {
    private static final Logger LOG = Logger.getLogger(AdmittedCall.class.getName());
    private final UpstreamBody body;
    private final RoutePlan plan;
    private final CacheLookup cache;
    private final UsageMeter meter;
    private final RateLimiter.Admission rate;
    private final Budgets.Reservation reservation;
    private final boolean sharedBuckets;

    AdmittedCall(UpstreamBody body, RoutePlan plan, CacheLookup cache, UsageMeter meter, RateLimiter.Admission rate,
                 Budgets.Reservation reservation, boolean sharedBuckets) {
        this.sharedBuckets = sharedBuckets;
        this.body = body;
        this.plan = plan;
        this.cache = cache;
        this.meter = meter;
        this.rate = rate;
        this.reservation = reservation;
    }

    UpstreamBody body() {
        return body;
    }

    RoutePlan plan() {
        return plan;
    }

    CacheLookup cache() {
        return cache;
    }

    UsageMeter meter() {
        return meter;
    }

    /** The caller's {@code x-ratelimit-*} headers: ours, not the provider's organisation limits. */
    Map<String, String> rateHeaders() {
        return rate == null ? Map.of() : rate.headers();
    }

    /** Whether {@link #settle} waits on the database: a budget, or buckets shared through PostgreSQL. */
    boolean settlingNeedsDatabase() {
        return reservation != null || rate != null && sharedBuckets;
    }

    /**
     * Once the call is recorded, settles it where no network thread waits: here when that costs no database work,
     * else on a work thread, and with none free {@link #settleLater}.
     */
    void settleOn(Work work, Optional<RequestRecord> record, String requestId) {
        if (!settlingNeedsDatabase()) {
            settle(record);
        } else if (!work.offer(() -> settle(record))) {
            LOG.warning(() -> "No work thread free to settle request " + requestId + "; it settles later");
            settleLater(record);
        }
    }

    /** Once the call is recorded: the token buckets take its real usage, the budgets its real cost. */
    void settle(Optional<RequestRecord> record) {
        if (rate != null) {
            rate.correct(tokens(record));
        }
        if (reservation != null) {
            reservation.settle(cost(record));
        }
    }

    /**
     * No thread is free to settle now: the budgets settle on their next retry round; a shared bucket keeps the prompt
     * estimate instead of the real usage (the limit is off by one call's difference for a minute at most).
     */
    void settleLater(Optional<RequestRecord> record) {
        if (rate != null && !sharedBuckets) {
            rate.correct(tokens(record));
        }
        if (reservation != null) {
            reservation.settleLater(cost(record));
        }
    }

    private static long tokens(Optional<RequestRecord> record) {
        return record.map(r -> r.usage().totalTokens()).orElse(0L);
    }

    private static long cost(Optional<RequestRecord> record) {
        return record.map(r -> r.costMicros() == null ? 0L : r.costMicros()).orElse(0L);
    }
}
