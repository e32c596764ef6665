package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmproxy.it.TestDatabase;
import dev.llmproxy.it.TestPostgres;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.SealedSecret;
import dev.llmproxy.project.Upstream;
import dev.llmproxy.token.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.FutureTask;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * Change set 0011 moves each project's single key into its first upstream: a database at 0010 with a project whose
 * key was sealed the old way (bound to the project's id) is migrated, and the key still opens as the upstream's.
 */
class UpstreamMigrationIT {
    private static final int CHANGE_SETS_BEFORE_UPSTREAMS = 10;
    private final KeyCipher cipher = new KeyCipher(new byte[32], new SecureRandom());

    @Test
    void sqliteProjectsKeepTheirKeysAsTheirDefaultUpstream() throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + Files.createTempDirectory("upstreams").resolve("old.db"));
        migrateAndCheck(sqlite, DatabaseKind.SQLITE);
    }

    @Test
    void postgresqlProjectsKeepTheirKeysAsTheirDefaultUpstream() throws Exception {
        TestDatabase db = TestPostgres.server().createDatabase("upstreams");
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(db.jdbcUrl());
        pg.setUser(db.user());
        pg.setPassword(db.password());
        migrateAndCheck(pg, DatabaseKind.POSTGRESQL);
    }

    private void migrateAndCheck(DataSource ds, DatabaseKind kind) throws Exception {
        applyFirst(ds, kind, CHANGE_SETS_BEFORE_UPSTREAMS);
        String id = "3f1c2b9e-0000-4000-8000-000000000001";
        SealedSecret sealed = cipher.seal("sk-legacy-0123456789", "projects/" + id + "/api_key");
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO projects (id, name, provider, base_url, api_key_ciphertext, api_key_key_id, api_key_hint,"
                        + " is_active, created_at, updated_at, version) VALUES (?, 'legacy', 'openai-compatible',"
                        + " 'http://127.0.0.1:9', ?, ?, 'sk-…6789', ?, ?, ?, 3)")) {
            s.setString(1, id);
            s.setString(2, sealed.ciphertext());
            s.setString(3, sealed.keyId());
            s.setBoolean(4, true);
            if (kind == DatabaseKind.SQLITE) { // Hibernate's SQLite mapping: epoch milliseconds
                s.setLong(5, 1_700_000_000_000L);
                s.setLong(6, 1_700_000_000_000L);
            } else {
                s.setTimestamp(5, Timestamp.from(Instant.ofEpochMilli(1_700_000_000_000L)));
                s.setTimestamp(6, Timestamp.from(Instant.ofEpochMilli(1_700_000_000_000L)));
            }
            s.executeUpdate();
        }

        new SchemaMigrator().migrate(ds, kind);

        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getColumns(null, null,
                "projects", "%")) {
            while (rs.next()) {
                assertFalse(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT).startsWith("api_key"),
                        "the key left the projects table");
            }
        }
        try (Jpa jpa = Jpa.open(ds, List.of(Project.class, Upstream.class, Token.class))) {
            Project project = jpa.inTransaction(em -> em.find(Project.class, id));
            Upstream upstream = project.primaryUpstream();
            assertEquals(1, project.upstreams().size());
            assertEquals("default", upstream.name());
            assertEquals(id, upstream.id());
            assertEquals("openai-compatible", upstream.provider().id());
            assertEquals("http://127.0.0.1:9", upstream.effectiveBaseUrl());
            assertEquals("sk-…6789", upstream.apiKeyHint());
            assertEquals("sk-legacy-0123456789", upstream.apiKey(cipher), "the sealed key opens where it moved");
            assertEquals(List.of(), upstream.models().patterns(), "it serves every model, as before");
        }
    }

    /** Applies only the first {@code count} change sets, as an installation from before upstreams had. */
    @SuppressWarnings("deprecation")
    private static void applyFirst(DataSource ds, DatabaseKind kind, int count) throws Exception {
        FutureTask<Void> task = new FutureTask<>(() -> Scope.child(Map.of("liquibase.analytics.enabled", false),
                () -> {
                    try (Connection c = ds.getConnection()) {
                        var database = DatabaseFactory.getInstance()
                                .findCorrectDatabaseImplementation(new JdbcConnection(c));
                        new Liquibase(kind.changelog(), new ClassLoaderResourceAccessor(), database)
                                .update(count, new Contexts(), new LabelExpression());
                    }
                    return null;
                }));
        Thread thread = new Thread(task);
        thread.start();
        task.get();
    }
}
