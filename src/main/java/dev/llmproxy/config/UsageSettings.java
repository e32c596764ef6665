package dev.llmproxy.config;

/**
 * Request records and shutdown.
 *
 * @param queueCapacity  records waiting for the writer; when full, callers wait rather than a record being dropped
 * @param retentionDays  raw records older than this are deleted (daily totals stay); 0 keeps them forever
 * @param drainSeconds   on undeploy or redeploy, how long calls in flight whose answer is not a stream may finish
 *                       before open streams are told the proxy is going away and what is left is ended
 */
public record UsageSettings(int queueCapacity, int retentionDays, int drainSeconds) {
    public static final String QUEUE_CAPACITY = "usage-queue-capacity";
    public static final String RETENTION_DAYS = "usage-retention-days";
    public static final String DRAIN_SECONDS = "shutdown-drain-seconds";

    static UsageSettings read(SettingsReader reader) {
        return new UsageSettings(
                reader.integer(QUEUE_CAPACITY, 10_000, 100, 1_000_000),
                reader.integer(RETENTION_DAYS, 0, 0, 36_500),
                reader.integer(DRAIN_SECONDS, 10, 0, 3_600));
    }
}
