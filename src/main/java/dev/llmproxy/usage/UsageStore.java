package dev.llmproxy.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes request records in batches with plain JDBC: analytics rows, not entities. One transaction inserts the raw
 * rows and adds them to the daily rollup. Inserts are idempotent by {@code request_id}, so a batch retried after a
 * lost commit acknowledgement is neither lost nor counted twice. The SQL is the same on SQLite and PostgreSQL
 * (both have {@code INSERT … ON CONFLICT}).
 */
public final class UsageStore implements RecordStore {
    private static final String INSERT_RECORD = "INSERT INTO request_records (" + RecordColumn.names() + ")"
            + " VALUES (" + RecordColumn.placeholders() + ") ON CONFLICT (request_id) DO NOTHING";
    private static final String UPSERT_DAILY = "INSERT INTO usage_daily (day, project_id, token_id, model, api,"
            + " requests, errors, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens,"
            + " reasoning_tokens, total_tokens, cost_micros, unpriced_requests) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            + " ON CONFLICT (day, project_id, token_id, model, api)"
            + " DO UPDATE SET requests = usage_daily.requests + excluded.requests,"
            + " errors = usage_daily.errors + excluded.errors,"
            + " prompt_tokens = usage_daily.prompt_tokens + excluded.prompt_tokens,"
            + " completion_tokens = usage_daily.completion_tokens + excluded.completion_tokens,"
            + " cached_tokens = usage_daily.cached_tokens + excluded.cached_tokens,"
            + " cache_write_tokens = usage_daily.cache_write_tokens + excluded.cache_write_tokens,"
            + " reasoning_tokens = usage_daily.reasoning_tokens + excluded.reasoning_tokens,"
            + " total_tokens = usage_daily.total_tokens + excluded.total_tokens,"
            + " cost_micros = usage_daily.cost_micros + excluded.cost_micros,"
            + " unpriced_requests = usage_daily.unpriced_requests + excluded.unpriced_requests";

    private static final int REACHABLE_TIMEOUT_SECONDS = 2;
    private final DataSource dataSource;
    private final RejectedRecords rejected;

    public UsageStore(DataSource dataSource, RejectedRecords rejected) {
        this.dataSource = dataSource;
        this.rejected = rejected;
    }

    @Override
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(REACHABLE_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void setAside(RequestRecord record, String reason) throws SQLException {
        rejected.setAside(record, reason);
    }

    /** Writes the batch in one transaction; returns how many records were new. */
    @Override
    public int write(List<RequestRecord> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int written = insert(c, batch);
                c.commit();
                return written;
            } catch (SQLException | RuntimeException e) {
                rollBack(c, e);
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Rolls back after {@code failure}, keeping the failure as the one thrown: SQLite has already rolled back after
     * some failures (SQLITE_FULL), and its "no transaction is active" must not hide why the write failed.
     */
    private static void rollBack(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private int insert(Connection c, List<RequestRecord> batch) throws SQLException {
        int[] counts;
        try (PreparedStatement s = c.prepareStatement(INSERT_RECORD)) {
            for (RequestRecord r : batch) {
                RecordColumn.bindAll(s, r);
                s.addBatch();
            }
            counts = s.executeBatch();
        }
        Map<List<Object>, DailyTotals> daily = new LinkedHashMap<>();
        int written = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (counts[i] == 0) {
                continue; // written by an earlier attempt
            }
            written++;
            RequestRecord r = batch.get(i);
            long day = r.createdAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
            daily.computeIfAbsent(List.of(day, orEmpty(r.projectId()), orEmpty(r.tokenId()), orEmpty(r.model()),
                            orEmpty(r.api())),
                    k -> new DailyTotals()).add(r);
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT_DAILY)) {
            for (var entry : daily.entrySet()) {
                List<Object> key = entry.getKey();
                DailyTotals t = entry.getValue();
                s.setLong(1, (Long) key.get(0));
                s.setString(2, (String) key.get(1));
                s.setString(3, (String) key.get(2));
                s.setString(4, (String) key.get(3));
                s.setString(5, (String) key.get(4));
                long[] values = t.values();
                for (int i = 0; i < values.length; i++) {
                    s.setLong(6 + i, values[i]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
        return written;
    }

    /** Deletes raw records older than {@code before}, a chunk at a time; the daily rollups stay. */
    public long pruneBefore(Instant before, int chunk) throws SQLException {
        long deleted = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM request_records WHERE id IN (SELECT id FROM request_records WHERE created_at < ?"
                        + " ORDER BY id LIMIT ?)")) {
            int n;
            do {
                s.setTimestamp(1, Timestamp.from(before));
                s.setInt(2, chunk);
                n = s.executeUpdate();
                deleted += n;
            } while (n == chunk);
        }
        return deleted;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** Sums for one rollup row, in the column order of UPSERT_DAILY. */
    private static final class DailyTotals {
        private long requests, errors, prompt, completion, cached, cacheWrite, reasoning, total, cost, unpriced;

        void add(RequestRecord r) {
            requests++;
            errors += r.isError() ? 1 : 0;
            prompt += r.usage().promptTokens();
            completion += r.usage().completionTokens();
            cached += r.usage().cachedTokens();
            cacheWrite += r.usage().cacheWriteTokens();
            reasoning += r.usage().reasoningTokens();
            total += r.usage().totalTokens();
            cost += r.costMicros() == null ? 0 : r.costMicros();
            unpriced += r.priceMissing() ? 1 : 0;
        }

        long[] values() {
            return new long[] {requests, errors, prompt, completion, cached, cacheWrite, reasoning, total, cost,
                unpriced};
        }
    }
}
