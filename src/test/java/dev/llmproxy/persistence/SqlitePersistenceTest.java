package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.Provider;
import dev.llmproxy.token.Token;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite without a container: the changelog applies, Instants survive the INTEGER epoch-millisecond columns
 * (CONTAINER-FACTS: the TEXT default failed to read back), and every connection gets the safe pragmas even from a
 * bare DataSource that sets none.
 */
class SqlitePersistenceTest {
    @TempDir
    Path dir;

    private SqliteConnectionSettings bareSqlite() {
        SQLiteDataSource raw = new SQLiteDataSource();
        raw.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        return new SqliteConnectionSettings(raw, 4321);
    }

    @Test
    void migrationIsIdempotentAndInstantsReadBackExactly() throws Exception {
        var ds = bareSqlite();
        assertEquals(changeSetsIn(DatabaseKind.SQLITE.changelog()), new SchemaMigrator().migrate(ds, DatabaseKind.SQLITE).appliedNow());
        assertEquals(0, new SchemaMigrator().migrate(ds, DatabaseKind.SQLITE).appliedNow());

        Instant created = Instant.parse("2026-11-23T10:15:30.123Z");
        KeyCipher cipher = new KeyCipher(new byte[32], new SecureRandom());
        try (Jpa jpa = Jpa.open(ds, List.of(Project.class, dev.llmproxy.project.Upstream.class, Token.class))) {
            Project saved = jpa.inTransaction(em -> {
                Project p = new Project("p", Provider.OPENAI, null, "sk-abcdefghijkl", cipher, created);
                em.persist(p);
                return p;
            });
            Project read = jpa.inTransaction(em -> em.find(Project.class, saved.id()));
            assertEquals(created, read.createdAt());
            assertEquals(true, read.isActive());
            assertEquals("sk-abcdefghijkl", read.primaryUpstream().apiKey(cipher));
        }
    }

    @Test
    void everyConnectionRunsWithForeignKeysBusyTimeoutAndNormalSync() throws SQLException {
        var ds = bareSqlite();
        SqliteConnectionSettings.enableWal(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, pragma(s, "foreign_keys"));
            assertEquals(4321, pragma(s, "busy_timeout"));
            assertEquals(1, pragma(s, "synchronous"), "1 = NORMAL");
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
        }
    }

    @Test
    void foreignKeysAreEnforced() {
        var ds = bareSqlite();
        new SchemaMigrator().migrate(ds, DatabaseKind.SQLITE);
        assertThrows(SQLException.class, () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO tokens (id, project_id, token_hash, token_hint, created_at, updated_at,"
                        + " expires_at, request_count, version) VALUES ('t', 'no-such-project', 'h', 'x', 0, 0, 1, 0, 0)");
            }
        });
    }

    private static int changeSetsIn(String resource) throws java.io.IOException {
        try (var in = SqlitePersistenceTest.class.getClassLoader().getResourceAsStream(resource)) {
            String xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return xml.split("<changeSet ", -1).length - 1;
        }
    }

    private static long pragma(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
