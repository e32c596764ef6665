package dev.llmproxy.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One raw record as the admin API lists it (snake_case keys, times as ISO-8601). */
final class RecordRow {
    private RecordRow() {
    }

    static Map<String, Object> of(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("request_id", rs.getString("request_id"));
        row.put("created_at", rs.getTimestamp("created_at").toInstant().toString());
        row.put("project_id", rs.getString("project_id"));
        row.put("token_id", rs.getString("token_id"));
        row.put("provider", rs.getString("provider"));
        row.put("model", rs.getString("model"));
        row.put("method", rs.getString("method"));
        row.put("path", rs.getString("path"));
        row.put("status", rs.getInt("status"));
        row.put("error_code", rs.getString("error_code"));
        row.put("streamed", rs.getBoolean("streamed"));
        int ttfb = rs.getInt("ttfb_ms");
        row.put("ttfb_ms", rs.wasNull() ? null : ttfb);
        row.put("duration_ms", rs.getInt("duration_ms"));
        row.put("prompt_tokens", rs.getLong("prompt_tokens"));
        row.put("completion_tokens", rs.getLong("completion_tokens"));
        row.put("cached_tokens", rs.getLong("cached_tokens"));
        row.put("cache_write_tokens", rs.getLong("cache_write_tokens"));
        row.put("total_tokens", rs.getLong("total_tokens"));
        row.put("tokens_estimated", rs.getBoolean("tokens_estimated"));
        long cost = rs.getLong("cost_micros");
        row.put("cost_micros", rs.wasNull() ? null : cost);
        row.put("price_missing", rs.getBoolean("price_missing"));
        row.put("upstream", rs.getString("upstream"));
        row.put("attempts", rs.getInt("attempts"));
        row.put("cache_hit", rs.getBoolean("cache_hit"));
        return row;
    }
}
