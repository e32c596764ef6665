package dev.llmproxy.migration;

import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.Provider;
import dev.llmproxy.project.Upstream;
import dev.llmproxy.token.Token;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** A database as the application leaves it: the schema migrated, projects (each with its upstream) and tokens. */
final class Filled {
    private Filled() {
    }

    /** Migrates {@code ds} and writes {@code projects} projects, each with its upstream and one token. */
    static void with(DataSource ds, DatabaseKind kind, int projects) {
        new SchemaMigrator().migrate(ds, kind);
        KeyCipher cipher = new KeyCipher(new byte[32], new SecureRandom());
        Instant now = Instant.parse("2026-12-03T10:15:30.123Z");
        try (Jpa jpa = Jpa.open(ds, List.of(Project.class, Upstream.class, Token.class))) {
            for (int i = 0; i < projects; i++) {
                String name = "project-" + i;
                jpa.run(em -> {
                    Project p = new Project(name, Provider.OPENAI, null, "sk-abcdefghijkl-" + name, cipher, now);
                    em.persist(p);
                    em.persist(new Token(p.id(), "t", "hash-" + name, "lp_…" + name.length(), now.plusSeconds(3600),
                            null, now));
                });
            }
        }
    }

    /** Runs one statement of DDL or DML. */
    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of every row, as text, in the order given. */
    static List<String> strings(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
