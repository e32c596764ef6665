package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import dev.llmproxy.testing.MigratedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change set 15-usage-api-reasoning on a SQLite database that has usage already: the daily rollup, rebuilt to take
 * the API into its key, keeps every row (with API ""), and what is written afterwards is kept apart per API.
 */
class UsageApiUpgradeTest {
    /** The change sets before 15-usage-api-reasoning: 0001 to 0013 and the two of #14. */
    private static final int BEFORE = 15;

    @TempDir
    Path dir;

    @Test
    void theRollupKeepsItsRowsAndThenSeparatesApis() throws Exception {
        SqliteConnectionSettings ds = MigratedSqlite.unmigrated(dir.resolve("upgrade.db"));
        try (Connection c = ds.getConnection()) {
            Liquibase liquibase = new Liquibase(DatabaseKind.SQLITE.changelog(),
                    new ClassLoaderResourceAccessor(getClass().getClassLoader()),
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c)));
            liquibase.update(BEFORE, new Contexts(), new LabelExpression());
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO usage_daily (day, project_id, token_id, model, requests, errors,"
                        + " prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, total_tokens,"
                        + " cost_micros, unpriced_requests) VALUES (20424, 'p', 't', 'gpt-5', 3, 1, 30, 9, 4, 0, 39,"
                        + " 120, 0)");
            }
            if (!c.getAutoCommit()) {
                c.commit(); // Liquibase leaves the connection in a transaction of its own
            }
        }
        new SchemaMigrator().migrate(ds, DatabaseKind.SQLITE);
        assertEquals(List.of("20424 p t gpt-5  3 30 0 120"), rollup(ds), "the row is kept, with API \"\"");

        Instant day = Instant.parse("2025-12-01T10:00:00Z"); // epoch day 20423
        new UsageStore(ds, new RejectedRecords(ds, java.time.Clock.systemUTC())).write(List.of(
                record("a", day, "responses", new TokenUsage(13, 7, 4, 0, 2, false)),
                record("b", day, "responses", new TokenUsage(13, 7, 4, 0, 2, false)),
                record("c", day, "chat.completions", new TokenUsage(5, 1, 0, 0, 0, false))));
        assertEquals(List.of("20423 p t gpt-5 chat.completions 1 5 0 0", "20423 p t gpt-5 responses 2 26 4 0",
                "20424 p t gpt-5  3 30 0 120"), rollup(ds));
        var reports = new UsageReports(ds, java.time.Clock.systemUTC());
        var byApi = reports.totals(new UsageFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()), GroupBy.API);
        assertEquals(List.of("", "chat.completions", "responses"), List.copyOf(byApi.keySet()));
        assertEquals(4, byApi.get("responses").reasoningTokens());
    }

    private static RequestRecord record(String id, Instant at, String api, TokenUsage usage) {
        return new RequestRecord(id, at, "p", "t", "openai", "gpt-5", "POST", "/v1/" + api.replace('.', '/'), api,
                200, null, false, 5, 10, usage, 0L, false, "default", 1, false);
    }

    private static List<String> rollup(SqliteConnectionSettings ds) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT day, project_id, token_id, model, api, requests, prompt_tokens, reasoning_tokens, cost_micros"
                        + " FROM usage_daily ORDER BY day, api")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + rs.getString(5) + " " + rs.getLong(6) + " " + rs.getLong(7) + " " + rs.getLong(8) + " "
                        + rs.getLong(9));
            }
        }
        return rows;
    }
}
