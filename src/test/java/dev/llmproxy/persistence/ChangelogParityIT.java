package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import dev.llmproxy.it.TestDatabase;
import dev.llmproxy.it.TestPostgres;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * One schema truth per dialect, and the two must agree: both masters are applied to fresh databases and their
 * tables, columns (name, nullability), indexes (name, uniqueness, columns), primary and foreign keys compared.
 * Uses the same PostgreSQL as the container tests (LLMPROXY_TEST_PG_URL, 127.0.0.1:5432, or embedded).
 */
class ChangelogParityIT {

    @Test
    void sqliteAndPostgresqlChangelogsProduceTheSameSchema() throws Exception {
        Path file = Files.createTempDirectory("parity").resolve("parity.db");
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + file);
        TestDatabase db = TestPostgres.server().createDatabase("parity");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(db.jdbcUrl());
        pg.setUser(db.user());
        pg.setPassword(db.password());

        var sqliteResult = new SchemaMigrator().migrate(sqlite, DatabaseKind.SQLITE);
        var pgResult = new SchemaMigrator().migrate(pg, DatabaseKind.POSTGRESQL);
        assertEquals(sqliteResult.total(), pgResult.total(), "same number of change sets");
        assertEquals(changeSetIds(sqlite.getConnection()), changeSetIds(pg.getConnection()), "same change set ids");

        Map<String, List<String>> sqliteSchema = describe(sqlite.getConnection(), null);
        Map<String, List<String>> pgSchema = describe(pg.getConnection(), "public");
        // The metadata is really read on both sides: the token table's key and indexes are there.
        assertTrue(sqliteSchema.get("tokens").contains("foreign key project_id -> projects.id"), sqliteSchema.toString());
        assertTrue(sqliteSchema.get("tokens").contains("index ux_tokens_token_hash unique [token_hash]"),
                sqliteSchema.toString());
        assertTrue(sqliteSchema.get("projects").contains("column name not null"), sqliteSchema.toString());
        assertEquals(sqliteSchema.keySet(), pgSchema.keySet(), "same tables");
        for (String table : sqliteSchema.keySet()) {
            assertEquals(sqliteSchema.get(table), pgSchema.get(table), "table " + table);
        }
    }

    private static List<String> changeSetIds(Connection c) throws SQLException {
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id FROM databasechangelog ORDER BY orderexecuted")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    /** Table name to a sorted description of its columns, keys and indexes. */
    private static Map<String, List<String>> describe(Connection c, String schema) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (c) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> names = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!name.startsWith("databasechangelog") && !name.startsWith("sqlite_")) {
                        names.add(rs.getString("TABLE_NAME"));
                    }
                }
            }
            for (String table : names) {
                TreeSet<String> facts = new TreeSet<>();
                try (ResultSet rs = meta.getColumns(null, schema, table, "%")) {
                    while (rs.next()) {
                        facts.add("column " + lower(rs.getString("COLUMN_NAME"))
                                + (rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls ? " not null" : " null"));
                    }
                }
                try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
                    while (rs.next()) {
                        facts.add("primary key " + lower(rs.getString("COLUMN_NAME")));
                    }
                }
                try (ResultSet rs = meta.getImportedKeys(null, schema, table)) {
                    while (rs.next()) {
                        facts.add("foreign key " + lower(rs.getString("FKCOLUMN_NAME")) + " -> "
                                + lower(rs.getString("PKTABLE_NAME")) + "." + lower(rs.getString("PKCOLUMN_NAME")));
                    }
                }
                Map<String, List<String>> indexes = new TreeMap<>();
                try (ResultSet rs = meta.getIndexInfo(null, schema, table, false, false)) {
                    while (rs.next()) {
                        String index = rs.getString("INDEX_NAME");
                        if (index == null || index.startsWith("sqlite_autoindex") || index.startsWith("pk_")) {
                            continue; // primary-key indexes are compared as primary keys
                        }
                        String key = lower(index) + (rs.getBoolean("NON_UNIQUE") ? "" : " unique");
                        indexes.computeIfAbsent(key, k -> new ArrayList<>()).add(lower(rs.getString("COLUMN_NAME")));
                    }
                }
                indexes.forEach((k, cols) -> facts.add("index " + k + " " + cols));
                tables.put(lower(table), new ArrayList<>(facts));
            }
        }
        return tables;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
