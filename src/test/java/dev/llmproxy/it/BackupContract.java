package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /manage/backup} (#6): on SQLite, a snapshot taken while calls keep coming opens as a valid database
 * holding the record of every call answered before the backup was asked for; on PostgreSQL, 501 pointing to pg_dump.
 */
interface BackupContract extends Contract {

    @Test
    default void aBackupUnderLoadHoldsEveryAcknowledgedRecordOrPointsToPgDump() throws Exception {
        if (!db().kind().equals("sqlite")) {
            Http.Response refused = admin().post("/manage/backup", "");
            assertEquals(501, refused.status(), refused.body());
            assertEquals("backup_not_supported", refused.json().path("code").asText());
            assertTrue(refused.json().path("detail").asText().contains("pg_dump"), refused.body());
            return;
        }
        String token = token(openAiProject("backup-" + db().kind()), "");
        ConcurrentLinkedQueue<String> answered = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new ArrayList<>();
        Http.Response created;
        List<String> acknowledged;
        int duringBackup;
        try {
            for (int i = 0; i < 4; i++) {
                clients.add(load.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> r = call(chat(token, "gpt-mock", false));
                        assertEquals(200, r.statusCode(), r.body());
                        answered.add(r.headers().firstValue(REQUEST_ID).orElseThrow());
                    }
                    return null;
                }));
            }
            Poll.until(Duration.ofSeconds(60), "40 calls answered under load", () -> {
                failed(clients); // a client that stopped on a failed assertion ends the wait at once
                return answered.size() >= 40;
            });
            acknowledged = List.copyOf(answered); // answered before the backup is asked for
            created = admin().post("/manage/backup", "");
            duringBackup = answered.size() - acknowledged.size();
            int afterBackup = answered.size();
            // calls keep coming after the backup too, as they did while it ran
            Poll.until(Duration.ofSeconds(30), "calls answered after the backup", () -> {
                failed(clients);
                return answered.size() >= afterBackup + 4;
            });
        } finally {
            running.set(false);
            load.shutdown();
        }
        assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
        for (Future<?> client : clients) {
            Contract.join(client, Duration.ofSeconds(30)); // an assertion that failed in a client fails the test here
        }
        assertEquals(201, created.status(), created.body());
        JsonNode backup = created.json();
        Path file = Path.of(backup.path("path").asText());
        assertEquals(Files.size(file), backup.path("size_bytes").asLong());
        assertEquals(java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file))), backup.path("sha256").asText());

        Set<String> inBackup = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            try (ResultSet ok = s.executeQuery("PRAGMA integrity_check")) {
                ok.next();
                assertEquals("ok", ok.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT request_id FROM request_records")) {
                while (rs.next()) {
                    inBackup.add(rs.getString(1));
                }
            }
            try (ResultSet projects = s.executeQuery("SELECT COUNT(*) FROM projects")) {
                projects.next();
                assertTrue(projects.getLong(1) > 0);
            }
        }
        List<String> missing = acknowledged.stream().filter(id -> !inBackup.contains(id)).toList();
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged calls missing from the backup: " + missing);
        assertEquals(backup.path("request_records").asLong(), inBackup.size());
        System.out.printf("[backup] %s: %d bytes, %d records, %d calls answered while it ran%n", server().name(),
                backup.path("size_bytes").asLong(), inBackup.size(), duringBackup);
        String audit = admin().get("/manage/audit?action=backup.created").json().path("items").toString();
        assertTrue(audit.contains(backup.path("sha256").asText()), audit);

        // The migration command on this database filled by the tests: SQLite -> PostgreSQL (in the schema the URL
        // names, beside a table of someone else's that is not touched) -> SQLite, verified.
        TestDatabase pg = TestPostgres.server().createDatabase("migrated");
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA llm_proxy");
            s.execute("CREATE TABLE public.projects (title TEXT)");
            s.execute("INSERT INTO public.projects VALUES ('not ours')");
        }
        TestDatabase inSchema = new TestDatabase("postgresql", pg.jdbcUrl() + "?currentSchema=llm_proxy", pg.user(),
                pg.password(), null);
        String toPg = migrate("jdbc:sqlite:" + file, inSchema);
        assertTrue(toPg.contains("verified: "), toPg);
        assertTrue(toPg.contains("copied request_records: " + inBackup.size() + " rows"), toPg);
        assertEquals(inBackup.size(), pg.count("SELECT COUNT(*) FROM llm_proxy.request_records"));
        assertEquals(List.of("not ours"), pg.strings("SELECT title FROM public.projects"));
        Path back = Files.createTempDirectory("migrated").resolve("back.db");
        String toSqlite = migrate(inSchema, "jdbc:sqlite:" + back);
        assertTrue(toSqlite.contains("verified: "), toSqlite);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + back); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM request_records")) {
            rs.next();
            assertEquals(inBackup.size(), rs.getLong(1));
        }
        // Refused, exit status 3, nothing changed: a URL naming the schema without the application, and a target
        // that already holds data.
        String wrongSchema = refused("--from", pg.jdbcUrl() + "?currentSchema=public", "--from-user", pg.user(),
                "--from-password-file", passwordFile(pg).toString(), "--to", "jdbc:sqlite:" + back + ".2");
        assertTrue(wrongSchema.contains("schema \"public\" of " + pg.jdbcUrl() + "?currentSchema=public holds no LLM"
                + " Proxy schema") && wrongSchema.contains("currentSchema=llm_proxy"), wrongSchema);
        assertEquals(List.of("not ours"), pg.strings("SELECT title FROM public.projects"));
        Path occupied = Files.createTempDirectory("occupied").resolve("occupied.db");
        Files.copy(file, occupied);
        String refusal = refused("--from", "jdbc:sqlite:" + file, "--to", "jdbc:sqlite:" + occupied);
        assertTrue(refusal.contains("migrate into a new, empty database"), refusal);
        System.out.println("[migration] refused: " + List.of(wrongSchema.strip(), refusal.strip()));
    }

    /** Runs the command, which must refuse: exit status 3. Returns what it said. */
    private static String refused(String... args) throws Exception {
        Process process = command(args);
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(3, process.exitValue(), output);
        return output;
    }

    /** Rethrows the failure of a client that has ended. */
    private static void failed(List<Future<?>> clients) throws Exception {
        for (Future<?> client : clients) {
            if (client.isDone()) {
                Contract.join(client, Duration.ZERO);
            }
        }
    }

    private String migrate(String from, TestDatabase to) throws Exception {
        return run("--from", from, "--to", to.jdbcUrl(), "--to-user", to.user(), "--to-password-file",
                passwordFile(to).toString(), "--batch-size", "200");
    }

    private String migrate(TestDatabase from, String to) throws Exception {
        return run("--from", from.jdbcUrl(), "--from-user", from.user(), "--from-password-file",
                passwordFile(from).toString(), "--to", to);
    }

    private static Path passwordFile(TestDatabase db) throws Exception {
        Path file = Files.createTempFile("pg", ".password");
        Files.writeString(file, db.password() == null ? "" : db.password());
        return file;
    }

    private String run(String... args) throws Exception {
        Process process = command(args);
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        System.out.println("[migration] " + output.lines().filter(l -> l.startsWith("verif")).toList());
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** The documented command, on the exploded WAR the build made. */
    private static Process command(String... args) throws Exception {
        String exploded = ItEnv.war().toString().replaceFirst("\\.war$", "");
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command()
                .orElse("java"), "-cp", exploded + "/WEB-INF/classes:" + exploded + "/WEB-INF/lib/*",
                "dev.llmproxy.migration.MigrateDatabase"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
