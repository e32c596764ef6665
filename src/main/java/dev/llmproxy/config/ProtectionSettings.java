package dev.llmproxy.config;

/**
 * What keeps one caller, or many, from exhausting the proxy (#13).
 *
 * @param failedAuthPerMinute     failed authentications (proxy tokens and management tokens) a client address may
 *                                make a minute before it is refused at once, with no database work; 0: no limit
 * @param maxBodyBytesInFlight    request-body bytes held by all calls together; past it a call is refused with 503
 *                                (default: a quarter of the JVM's maximum heap)
 * @param maxCallsPerToken        calls one proxy token may have running at once; past it, 429; 0: no limit
 * @param requestBodyTimeoutMs    the longest a caller may take to send its whole request body
 * @param callerWriteTimeoutMs    the longest a caller may leave the answer unread (its connection full) before the
 *                                call is cut
 * @param workThreads             threads for the proxy path's database work (token checks that need the database,
 *                                shared rate limits, budgets), so that no network thread waits on the database
 * @param workQueue               calls waiting for one of those threads; past it a call is refused with 503
 * @param databaseDeadlineMs      the longest a call waits for that database work (a token check the cache cannot
 *                                answer, a budget, a shared rate limit); past it, 503 {@code database_unavailable}
 */
public record ProtectionSettings(int failedAuthPerMinute, long maxBodyBytesInFlight, int maxCallsPerToken,
                                 int requestBodyTimeoutMs, int callerWriteTimeoutMs, int workThreads, int workQueue,
                                 int databaseDeadlineMs) {
    public static final String FAILED_AUTH_PER_MINUTE = "failed-auth-per-minute";
    public static final String MAX_BODY_BYTES_IN_FLIGHT = "max-body-bytes-in-flight";
    public static final String MAX_CALLS_PER_TOKEN = "max-concurrent-calls-per-token";
    public static final String REQUEST_BODY_TIMEOUT_MS = "request-body-timeout-ms";
    public static final String CALLER_WRITE_TIMEOUT_MS = "caller-write-timeout-ms";
    public static final String WORK_THREADS = "proxy-work-threads";
    public static final String WORK_QUEUE = "proxy-work-queue";
    public static final String DATABASE_DEADLINE_MS = "database-deadline-ms";

    static ProtectionSettings read(SettingsReader reader) {
        return new ProtectionSettings(
                reader.integer(FAILED_AUTH_PER_MINUTE, 60, 0, 1_000_000),
                reader.integer(MAX_BODY_BYTES_IN_FLIGHT,
                        (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4), 1024 * 1024,
                        Integer.MAX_VALUE),
                reader.integer(MAX_CALLS_PER_TOKEN, 256, 0, 1_000_000),
                reader.integer(REQUEST_BODY_TIMEOUT_MS, 60_000, 100, 3_600_000),
                reader.integer(CALLER_WRITE_TIMEOUT_MS, 60_000, 100, 3_600_000),
                reader.integer(WORK_THREADS, 16, 1, 512),
                reader.integer(WORK_QUEUE, 10_000, 1, 1_000_000),
                reader.integer(DATABASE_DEADLINE_MS, 3_000, 100, 60_000));
    }
}
