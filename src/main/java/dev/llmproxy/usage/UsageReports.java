package dev.llmproxy.usage;

import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Usage totals and raw records. Whole UTC days of a range are read from the daily rollup (one row per day, project,
 * token, model and API, so a month of one project is a few dozen rows however many calls it made); only the partial days
 * at the edges of the range are summed from raw records, through the (project, created_at) and (created_at) indexes.
 */
public final class UsageReports {
    private static final String SUMS = "SUM(requests), SUM(errors), SUM(prompt_tokens), SUM(completion_tokens),"
            + " SUM(cached_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(total_tokens), SUM(cost_micros),"
            + " SUM(unpriced_requests)";
    private static final String RAW_SUMS = "COUNT(*), SUM(CASE WHEN status >= 400 OR error_code IS NOT NULL THEN 1"
            + " ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(cache_write_tokens),"
            + " SUM(reasoning_tokens), SUM(total_tokens), SUM(COALESCE(cost_micros, 0)), SUM(CASE WHEN price_missing THEN 1 ELSE 0 END)";

    private final DataSource dataSource;
    private final Clock clock;

    public UsageReports(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Totals per group key (the day as ISO date, or the id or model; "" for "none"), sorted by key. */
    public Map<String, UsageTotals> totals(UsageFilter filter, GroupBy groupBy) throws SQLException {
        Instant to = filter.to().orElse(clock.instant());
        Instant from = filter.from().orElse(null);
        Map<String, UsageTotals> result = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            // head: the partial first day; whole days: the rollup; tail: the partial last day
            long wholeFrom = from == null ? Long.MIN_VALUE : ceilDay(from);
            long wholeTo = floorDay(to);
            if (from != null && !startOf(floorDay(from)).equals(from)) {
                Instant headEnd = min(to, startOf(floorDay(from) + 1));
                addRaw(c, filter, groupBy, from, headEnd, result);
            }
            if (wholeFrom < wholeTo) {
                addRollup(c, filter, groupBy, wholeFrom, wholeTo, result);
            }
            Instant tailStart = startOf(wholeTo);
            if (tailStart.isBefore(to) && (from == null || floorDay(from) < wholeTo)) {
                addRaw(c, filter, groupBy, tailStart, to, result);
            }
        } catch (UncheckedSql e) {
            throw e.getCause();
        }
        return result;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * A page of raw records, newest first. The total is not a {@code COUNT(*)} over the raw rows, which grows with the
     * range (about 100 ms for 700,000 rows on PostgreSQL): it is the report's own request count, from the rollup and
     * the partial edge days, starting no earlier than the oldest raw record so that pruned days are not counted.
     */
    public Page<Map<String, Object>> requests(UsageFilter filter, PageRequest page) throws SQLException {
        Where where = rawWhere(filter, filter.from().orElse(Instant.EPOCH), filter.to().orElse(clock.instant()));
        long total = rawCount(filter);
        try (Connection c = dataSource.getConnection()) {
            List<Map<String, Object>> items = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + RecordColumn.names() + " FROM request_records"
                    + where.sql
                    + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                int next = where.bind(s, 1);
                s.setInt(next, page.pageSize());
                s.setInt(next + 1, page.offset());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        items.add(RecordColumn.readRow(rs));
                    }
                }
            }
            return new Page<>(items, page.page(), page.pageSize(), total);
        }
    }

    private long rawCount(UsageFilter filter) throws SQLException {
        Optional<Instant> oldest = oldestRecord();
        if (oldest.isEmpty()) {
            return 0;
        }
        Instant from = filter.from().filter(f -> f.isAfter(oldest.get())).orElse(oldest.get());
        Instant to = filter.to().orElse(clock.instant());
        if (!from.isBefore(to)) {
            return 0;
        }
        UsageFilter clamped = new UsageFilter(Optional.of(from), Optional.of(to), filter.projectId(),
                filter.tokenId(), filter.model(), filter.api());
        UsageTotals totals = totals(clamped, GroupBy.NONE).get("");
        return totals == null ? 0 : totals.requests();
    }

    private Optional<Instant> oldestRecord() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT MIN(created_at) FROM request_records"); ResultSet rs = s.executeQuery()) {
            rs.next();
            Timestamp oldest = rs.getTimestamp(1);
            return Optional.ofNullable(oldest).map(Timestamp::toInstant);
        }
    }

    private void addRollup(Connection c, UsageFilter filter, GroupBy groupBy, long fromDay, long toDay,
                           Map<String, UsageTotals> result) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + keyColumn(groupBy) + ", " + SUMS + " FROM usage_daily WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (fromDay != Long.MIN_VALUE) {
            sql.append(" AND day >= ?");
            params.add(fromDay);
        }
        sql.append(" AND day < ?");
        params.add(toDay);
        filter.projectId().ifPresent(p -> { sql.append(" AND project_id = ?"); params.add(p); });
        filter.tokenId().ifPresent(t -> { sql.append(" AND token_id = ?"); params.add(t); });
        filter.model().ifPresent(m -> { sql.append(" AND model = ?"); params.add(m); });
        filter.api().ifPresent(a -> { sql.append(" AND api = ?"); params.add(a); });
        if (groupBy != GroupBy.NONE) {
            sql.append(" GROUP BY ").append(groupBy.column());
        }
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            collect(s, groupBy, null, result);
        }
    }

    private void addRaw(Connection c, UsageFilter filter, GroupBy groupBy, Instant from, Instant to,
                        Map<String, UsageTotals> result) {
        Where where = rawWhere(filter, from, to);
        // A raw slice never spans two days here, so "day" is the slice's own day.
        String dayKey = groupBy == GroupBy.DAY ? LocalDate.ofEpochDay(floorDay(from)).toString() : null;
        String key = groupBy == GroupBy.NONE || groupBy == GroupBy.DAY ? "''" : "COALESCE(" + groupBy.column() + ", '')";
        String sql = "SELECT " + key + ", " + RAW_SUMS + " FROM request_records" + where.sql
                + (groupBy == GroupBy.NONE || groupBy == GroupBy.DAY ? "" : " GROUP BY " + groupBy.column());
        try (PreparedStatement s = c.prepareStatement(sql)) {
            where.bind(s, 1);
            collect(s, groupBy, dayKey, result);
        } catch (SQLException e) {
            throw new UncheckedSql(e);
        }
    }

    private static void collect(PreparedStatement s, GroupBy groupBy, String fixedKey, Map<String, UsageTotals> result)
            throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                UsageTotals t = new UsageTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11));
                if (t.requests() == 0) {
                    continue;
                }
                String key = fixedKey != null ? fixedKey
                        : groupBy == GroupBy.DAY ? LocalDate.ofEpochDay(rs.getLong(1)).toString()
                        : groupBy == GroupBy.NONE ? "" : rs.getString(1);
                result.merge(key, t, UsageTotals::plus);
            }
        }
    }

    private static String keyColumn(GroupBy groupBy) {
        return groupBy == GroupBy.NONE ? "''" : groupBy.column();
    }

    private static Where rawWhere(UsageFilter filter, Instant from, Instant to) {
        StringBuilder sql = new StringBuilder(" WHERE created_at >= ? AND created_at < ?");
        List<Object> params = new ArrayList<>(List.of(Timestamp.from(from), Timestamp.from(to)));
        filter.projectId().ifPresent(p -> { sql.append(" AND project_id = ?"); params.add(p); });
        filter.tokenId().ifPresent(t -> { sql.append(" AND token_id = ?"); params.add(t); });
        filter.model().ifPresent(m -> { sql.append(" AND model = ?"); params.add(m); });
        filter.api().ifPresent(a -> { sql.append(" AND api = ?"); params.add(a); });
        return new Where(sql.toString(), params);
    }

    private record Where(String sql, List<Object> params) {
        int bind(PreparedStatement s, int first) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(first + i, params.get(i));
            }
            return first + params.size();
        }
    }

    static long floorDay(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }

    static long ceilDay(Instant t) {
        long day = floorDay(t);
        return startOf(day).equals(t) ? day : day + 1;
    }

    static Instant startOf(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Carries a SQLException out of a lambda-free helper and back to the caller. */
    private static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
