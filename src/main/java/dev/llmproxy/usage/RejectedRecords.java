package dev.llmproxy.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Request records the database refused, set aside in {@code rejected_records} with the reason so that the writer
 * goes on with the rest: kept for an administrator to inspect ({@code GET /manage/usage/rejected}). A record is kept
 * as JSON with every non-ASCII character escaped, which both databases take whatever the record held.
 */
public final class RejectedRecords {
    private static final JsonMapper JSON = JsonMapper.builder(dev.llmproxy.JsonFactories.factory()).enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final int REASON_LENGTH = 500;
    private final DataSource dataSource;
    private final Clock clock;

    public RejectedRecords(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Keeps the record with why the database refused it. */
    void setAside(RequestRecord record, String reason) throws SQLException {
        String json;
        try {
            json = JSON.writeValueAsString(RecordColumn.valuesOf(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write request record " + record.requestId() + " as JSON", e);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO rejected_records (request_id, rejected_at, reason, record) VALUES (?, ?, ?, ?)")) {
            s.setString(1, ColumnText.clamp(record.requestId(), 36));
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            s.setString(3, ColumnText.clamp(reason == null ? "unknown" : reason, REASON_LENGTH));
            s.setString(4, json);
            s.executeUpdate();
        }
    }

    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM rejected_records")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Newest first; {@code record} is the kept JSON, as text. */
    public Page<Map<String, Object>> list(PageRequest page) throws SQLException {
        long total = count();
        List<Map<String, Object>> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, request_id, rejected_at, reason, record FROM rejected_records ORDER BY id DESC"
                        + " LIMIT ? OFFSET ?")) {
            s.setInt(1, page.pageSize());
            s.setInt(2, page.offset());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("request_id", rs.getString("request_id"));
                    row.put("rejected_at", rs.getTimestamp("rejected_at").toInstant().toString());
                    row.put("reason", rs.getString("reason"));
                    row.put("record", rs.getString("record"));
                    items.add(row);
                }
            }
        }
        return new Page<>(items, page.page(), page.pageSize(), total);
    }
}
