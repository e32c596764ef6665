package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The WAR dropped into a plain Tomcat with nothing configured: no context file, no driver in lib/, no settings.
 * (user.home is pointed at a scratch folder only so that the test does not write into the real home.) The test that
 * undeploys runs last: deploying again would cost another half minute of Tomcat's deployment scan and start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TomcatEmbeddedDefaultIT {
    /** What Tomcat says when a web application leaks a thread, a driver or a thread-local, and what LLM Proxy says when
     * it cannot take its code out of the container threads' inherited access-control contexts. */
    static final List<String> LEAK_WARNINGS = List.of("failed to stop it", "failed to unregister it",
            "memory leak", "ThreadLocal with key", "may keep this application's classes in memory");

    private Path home;
    private TomcatServer server;

    @BeforeAll
    void start() {
        home = ItEnv.workDir("home");
        server = TomcatServer.create("embedded", Optional.empty(), List.of(),
                Map.of("user.home", home.toString()), Map.of());
        Duration took = server.start();
        System.out.printf("[timing] Tomcat with embedded SQLite: started and ready in %d ms%n", took.toMillis());
    }

    @AfterAll
    void stop() {
        server.stop();
    }

    @Test
    void startsOnAnEmbeddedSqliteFileInTheDefaultDataDir() {
        Http.Response ready = new Http(server.baseUrl(), null).get("/health/ready");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("sqlite", ready.json().path("database").path("kind").asText());
        assertTrue(Files.exists(home.resolve(".llm-proxy/llm-proxy.db")), "database file in <user.home>/.llm-proxy");
        assertTrue(server.log().contains("No DataSource is bound at java:comp/env/jdbc/llmproxy"),
                "the choice of database is logged");
    }

    /** #14: the data directory the WAR creates, the embedded database and its write-ahead log are the owner's only. */
    @Test
    void theDataDirectoryItCreatesAndTheEmbeddedDatabaseAreOwnerOnly() throws Exception {
        Path dataDir = home.resolve(".llm-proxy");
        Path file = dataDir.resolve("llm-proxy.db");
        assertEquals(200, new Http(server.baseUrl(), null).get("/health/ready").status());
        assertTrue(Files.exists(Path.of(file + "-wal")), "the pool's open connections keep the write-ahead log");
        String modes = "data directory " + mode(dataDir) + ", database " + mode(file) + ", -wal "
                + mode(Path.of(file + "-wal"));
        System.out.println("[file-modes] Tomcat on embedded SQLite: " + modes);
        assertEquals("data directory rwx------, database rw-------, -wal rw-------", modes);
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void generatedManagementTokenIsWrittenOnceOwnerOnlyAndWorks() throws Exception {
        Path file = home.resolve(".llm-proxy/initial-management-token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).trim();
        assertTrue(server.log().contains(file.toString()), "the log says where the token is");
        assertFalse(server.log().contains(token), "the token itself is never logged");
        Http admin = new Http(server.baseUrl(), token);
        assertEquals(200, admin.get("/manage/projects").status());
        assertEquals(401, admin.withBearer(token + "x").get("/manage/projects").status());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void undeployLeavesNoThreadDriverOrThreadLocalBehind() throws Exception {
        server.undeployWar(Duration.ofSeconds(60));
        // Tomcat's leak checks run (and log, synchronously) as the class loader stops, after the listener; the
        // unpacked folder goes last.
        Poll.until(Duration.ofSeconds(30), "Tomcat removed the unpacked webapps/llm-proxy",
                () -> !Files.exists(server.base().resolve("webapps/llm-proxy")));
        String log = server.log();
        for (String warning : LEAK_WARNINGS) {
            assertFalse(log.contains(warning), "Tomcat reported '" + warning + "' on undeploy:\n" + Readiness.tail(log));
        }
    }
}
