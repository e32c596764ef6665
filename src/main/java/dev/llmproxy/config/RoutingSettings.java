package dev.llmproxy.config;

/**
 * Retries, fallbacks and circuit breakers between a project's upstreams.
 *
 * @param retries              extra attempts on the same upstream after a 429, 5xx, connection failure or timeout
 *                             before the first byte, before falling back to the next upstream (a POST only after
 *                             failures the provider cannot have processed, see {@code RetryPolicy})
 * @param retryBackoffMs       the wait before the first retry when the provider sends no {@code Retry-After};
 *                             doubled for each further retry
 * @param retryMaxWaitMs       the longest wait the proxy accepts before a retry; a longer {@code Retry-After}
 *                             moves on to the next upstream at once
 * @param breakerFailureRate   percentage of failed calls in the window that opens an upstream's breaker
 * @param breakerMinimumCalls  calls an upstream needs in its window before its failure rate counts
 * @param breakerWindowCalls   the last calls the failure rate is taken over
 * @param breakerOpenMs        how long an open breaker refuses calls before letting trial calls through
 * @param breakerHalfOpenCalls trial calls in the half-open state; all must succeed to close the breaker
 * @param retryUnsafe          whether a POST is also retried after a failure the provider may have processed and
 *                             billed (a response timeout, a reset once the body was sent, 500, 502, 504); a
 *                             project's {@code retry_unsafe} overrides it
 */
public record RoutingSettings(int retries, int retryBackoffMs, int retryMaxWaitMs, int breakerFailureRate,
                              int breakerMinimumCalls, int breakerWindowCalls, int breakerOpenMs,
                              int breakerHalfOpenCalls, boolean retryUnsafe) {
    public static final String RETRIES = "upstream-retries";
    public static final String RETRY_BACKOFF_MS = "upstream-retry-backoff-ms";
    public static final String RETRY_MAX_WAIT_MS = "upstream-retry-max-wait-ms";
    public static final String BREAKER_FAILURE_RATE = "breaker-failure-rate-percent";
    public static final String BREAKER_MINIMUM_CALLS = "breaker-minimum-calls";
    public static final String BREAKER_WINDOW_CALLS = "breaker-window-calls";
    public static final String BREAKER_OPEN_MS = "breaker-open-ms";
    public static final String BREAKER_HALF_OPEN_CALLS = "breaker-half-open-calls";
    public static final String RETRY_UNSAFE = "upstream-retry-unsafe";

    static RoutingSettings read(SettingsReader reader) {
        int window = reader.integer(BREAKER_WINDOW_CALLS, 20, 1, 1_000);
        int minimum = reader.integer(BREAKER_MINIMUM_CALLS, 10, 1, 1_000);
        if (minimum > window) {
            throw new InvalidSettingException(BREAKER_MINIMUM_CALLS, "setting",
                    "must not exceed " + BREAKER_WINDOW_CALLS + " (" + window + "), got " + minimum);
        }
        return new RoutingSettings(
                reader.integer(RETRIES, 1, 0, 5),
                reader.integer(RETRY_BACKOFF_MS, 250, 0, 60_000),
                reader.integer(RETRY_MAX_WAIT_MS, 5_000, 0, 120_000),
                reader.integer(BREAKER_FAILURE_RATE, 50, 1, 100),
                minimum,
                window,
                reader.integer(BREAKER_OPEN_MS, 30_000, 100, 3_600_000),
                reader.integer(BREAKER_HALF_OPEN_CALLS, 2, 1, 100),
                reader.bool(RETRY_UNSAFE, false));
    }
}
