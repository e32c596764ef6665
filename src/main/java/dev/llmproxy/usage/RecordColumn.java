package dev.llmproxy.usage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of {@code request_records} that a {@link RequestRecord} fills, in one place: the writer's INSERT, the
 * admin API's SELECT and the row it lists are all built from this list (the table's own {@code id} is the
 * database's). A new column is one line here, plus a changeSet in each dialect's changelog.
 */
enum RecordColumn {
    REQUEST_ID("request_id", Kind.TEXT, 36, RequestRecord::requestId),
    CREATED_AT("created_at", Kind.TIMESTAMP, RequestRecord::createdAt),
    PROJECT_ID("project_id", Kind.TEXT, 36, RequestRecord::projectId),
    TOKEN_ID("token_id", Kind.TEXT, 36, RequestRecord::tokenId),
    PROVIDER("provider", Kind.TEXT, 32, RequestRecord::provider),
    MODEL("model", Kind.TEXT, 200, RequestRecord::model),
    METHOD("method", Kind.TEXT, 10, RequestRecord::method),
    PATH("path", Kind.TEXT, 300, RequestRecord::path),
    STATUS("status", Kind.INT, RequestRecord::status),
    ERROR_CODE("error_code", Kind.TEXT, 64, RequestRecord::errorCode),
    STREAMED("streamed", Kind.BOOLEAN, RequestRecord::streamed),
    TTFB_MS("ttfb_ms", Kind.INT, RequestRecord::ttfbMs),
    DURATION_MS("duration_ms", Kind.INT, RequestRecord::durationMs),
    PROMPT_TOKENS("prompt_tokens", Kind.LONG, r -> r.usage().promptTokens()),
    COMPLETION_TOKENS("completion_tokens", Kind.LONG, r -> r.usage().completionTokens()),
    CACHED_TOKENS("cached_tokens", Kind.LONG, r -> r.usage().cachedTokens()),
    CACHE_WRITE_TOKENS("cache_write_tokens", Kind.LONG, r -> r.usage().cacheWriteTokens()),
    TOTAL_TOKENS("total_tokens", Kind.LONG, r -> r.usage().totalTokens()),
    TOKENS_ESTIMATED("tokens_estimated", Kind.BOOLEAN, r -> r.usage().estimated()),
    COST_MICROS("cost_micros", Kind.LONG, RequestRecord::costMicros),
    PRICE_MISSING("price_missing", Kind.BOOLEAN, RequestRecord::priceMissing),
    UPSTREAM("upstream", Kind.TEXT, 100, RequestRecord::upstream),
    ATTEMPTS("attempts", Kind.INT, RequestRecord::attempts),
    CACHE_HIT("cache_hit", Kind.BOOLEAN, RequestRecord::cacheHit),
    API("api", Kind.TEXT, 64, RequestRecord::api),
    REASONING_TOKENS("reasoning_tokens", Kind.LONG, r -> r.usage().reasoningTokens());

    /** How a column's value crosses JDBC; a null value is written as SQL NULL and read back as null. */
    private enum Kind {
        TEXT(Types.VARCHAR), TIMESTAMP(Types.TIMESTAMP), INT(Types.INTEGER), LONG(Types.BIGINT),
        BOOLEAN(Types.BOOLEAN);

        private final int sqlType;

        Kind(int sqlType) {
            this.sqlType = sqlType;
        }

        void bind(PreparedStatement s, int index, Object value) throws SQLException {
            if (value == null) {
                s.setNull(index, sqlType);
                return;
            }
            switch (this) {
                case TEXT -> s.setString(index, (String) value);
                case TIMESTAMP -> s.setTimestamp(index, Timestamp.from((Instant) value));
                case INT -> s.setInt(index, (Integer) value);
                case LONG -> s.setLong(index, (Long) value);
                case BOOLEAN -> s.setBoolean(index, (Boolean) value);
            }
        }

        /** As the admin API lists it: times as ISO-8601. */
        Object read(ResultSet rs, String column) throws SQLException {
            Object value = switch (this) {
                case TEXT -> rs.getString(column);
                case TIMESTAMP -> {
                    Timestamp t = rs.getTimestamp(column);
                    yield t == null ? null : t.toInstant().toString();
                }
                case INT -> rs.getInt(column);
                case LONG -> rs.getLong(column);
                case BOOLEAN -> rs.getBoolean(column);
            };
            return rs.wasNull() ? null : value;
        }
    }

    private final String column;
    private final Kind kind;
    /** For text: the column's length in characters (VARCHAR(n) in both changelogs); 0 for the other kinds. */
    private final int length;
    private final Function<RequestRecord, Object> value;

    RecordColumn(String column, Kind kind, Function<RequestRecord, Object> value) {
        this(column, kind, 0, value);
    }

    RecordColumn(String column, Kind kind, int length, Function<RequestRecord, Object> value) {
        this.column = column;
        this.kind = kind;
        this.length = length;
        this.value = value;
    }

    /** A text value as this column can hold it: see {@link ColumnText#clamp}. */
    String clamp(String text) {
        return ColumnText.clamp(text, length);
    }

    /** {@code request_id, created_at, …} in declaration order. */
    static String names() {
        return Arrays.stream(values()).map(c -> c.column).collect(Collectors.joining(", "));
    }

    /** {@code ?,?,…}, one per column. */
    static String placeholders() {
        return Arrays.stream(values()).map(c -> "?").collect(Collectors.joining(","));
    }

    /** Binds every column of {@code record}, from parameter 1 on. */
    static void bindAll(PreparedStatement s, RequestRecord record) throws SQLException {
        for (RecordColumn c : values()) {
            c.kind.bind(s, c.ordinal() + 1, c.value.apply(record));
        }
    }

    /** A record's values by column name (times as ISO-8601), as a rejected record is kept. */
    static Map<String, Object> valuesOf(RequestRecord record) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (RecordColumn c : values()) {
            Object v = c.value.apply(record);
            row.put(c.column, v instanceof Instant i ? i.toString() : v);
        }
        return row;
    }

    /** The current row as the admin API lists it: snake_case keys in column order. */
    static Map<String, Object> readRow(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (RecordColumn c : values()) {
            row.put(c.column, c.kind.read(rs, c.column));
        }
        return row;
    }
}
