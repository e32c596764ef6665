package dev.llmproxy.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The PostgreSQL server the tests use: {@code LLMPROXY_TEST_PG_URL} (a JDBC URL, with LLMPROXY_TEST_PG_USER and
 * LLMPROXY_TEST_PG_PASSWORD) when set; else the server on 127.0.0.1:5432 when it answers; else an embedded
 * PostgreSQL from Maven Central artifacts. Never skipped: with no server at all the embedded one starts.
 * Each test class gets a database of its own.
 */
public final class TestPostgres {
    private static final Logger LOG = Logger.getLogger(TestPostgres.class.getName());
    private static TestPostgres shared;

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private TestPostgres(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    public static synchronized TestPostgres server() {
        if (shared == null) {
            shared = locate();
        }
        return shared;
    }

    private static TestPostgres locate() {
        String url = System.getenv("LLMPROXY_TEST_PG_URL");
        String user = envOr("LLMPROXY_TEST_PG_USER", "postgres");
        String password = envOr("LLMPROXY_TEST_PG_PASSWORD", "");
        if (url != null && !url.isBlank()) {
            var uri = java.net.URI.create(url.replaceFirst("^jdbc:", ""));
            LOG.info("Integration tests use PostgreSQL from LLMPROXY_TEST_PG_URL: " + uri.getHost() + ":" + uri.getPort());
            return new TestPostgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password);
        }
        if (FreePorts.listening("127.0.0.1", 5432)) {
            LOG.info("Integration tests use the PostgreSQL server at 127.0.0.1:5432");
            return new TestPostgres("127.0.0.1", 5432, user, password);
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }));
            LOG.info("No PostgreSQL server found; started an embedded one on port " + embedded.getPort());
            return new TestPostgres("127.0.0.1", embedded.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("No PostgreSQL server and the embedded one failed to start", e);
        }
    }

    /** Creates an empty database and returns how to reach it. */
    public TestDatabase createDatabase(String purpose) {
        String name = ("llmproxy_it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(url("postgres"), user, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        return new TestDatabase("postgresql", url(name), user, password, null);
    }

    private String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
