package dev.llmproxy.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A PostgreSQL server of the test's own (embedded PostgreSQL, listening on 127.0.0.1 only), which the test may stop
 * and start again on the same data directory and port: the shared server on 5432 is never touched. Made for one
 * deployment by {@link DeploymentExtension}: {@link #open} starts it and creates the database, {@link #close} stops it.
 */
final class PrivatePostgres implements DeploymentExtension.OwnDatabase {
    static final String DATABASE = "llmproxy";
    private final Path dataDir = ItEnv.workDir("private-postgres");
    private final int port = FreePorts.any();
    private EmbeddedPostgres running;

    @Override
    public TestDatabase open() {
        start();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database on the private PostgreSQL", e);
        }
        return new TestDatabase("postgresql", url(DATABASE), "postgres", "", null);
    }

    /** Starts the server on its data directory and port (a fresh directory the first time). */
    synchronized void start() {
        if (running != null) {
            return;
        }
        try {
            running = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(60)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("The private PostgreSQL did not start on port " + port, e);
        }
    }

    /** Stops the server as an administrator's restart does (fast shutdown: sessions are ended, nothing is lost). */
    synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("The private PostgreSQL did not stop", e);
        } finally {
            running = null;
        }
    }

    /**
     * Makes the database refuse writes as a server demoted to a read-only standby does, or takes writes again: every
     * new transaction is read-only (a write fails with SQLState 25006, reads go on), and the sessions open now are
     * ended, as a failover ends them, so that pooled connections come back read-only.
     */
    void refuseWrites(boolean refuse) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + DATABASE + " SET default_transaction_read_only = " + (refuse ? "on" : "off"));
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE
                    + "' AND pid <> pg_backend_pid()");
        }
    }

    /**
     * Freezes the server, or lets it go on: every process of it (the postmaster and its backends) is stopped with
     * SIGSTOP, as a host that hangs or is paused: connections open, nothing answers, nothing fails.
     */
    void freeze(boolean frozen) throws IOException, InterruptedException {
        String postmaster = java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
        java.util.List<String> pids = new java.util.ArrayList<>(java.util.List.of(postmaster));
        Process children = new ProcessBuilder("pgrep", "-P", postmaster).start();
        pids.addAll(java.util.Arrays.asList(new String(children.getInputStream().readAllBytes()).trim().split("\\s+")));
        children.waitFor();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", frozen ? "-STOP" : "-CONT"));
        pids.stream().filter(p -> !p.isBlank()).forEach(command::add);
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        if (kill.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }
}
