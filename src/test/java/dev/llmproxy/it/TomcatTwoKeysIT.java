package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The case from #14: two Tomcats on one PostgreSQL database, neither with an {@code encryption-key} setting, each
 * generating its own key file. Before, both started and each refused the other's tokens as "not valid". Now the
 * database knows its master key: the instance that does not hold it refuses to start, its log says which key the
 * database expects and how to fix it, and once its key file is replaced by the other's it starts and accepts the
 * other's tokens.
 */
class TomcatTwoKeysIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String FAILED = "LLM Proxy failed to start";

    @Test
    void anInstanceWithAnotherGeneratedKeyRefusesToStartAndSaysWhichKeyTheDatabaseExpects() throws Exception {
        TestDatabase db = TestPostgres.server().createDatabase("two-keys");
        Path dataA = ItEnv.workDir("data-keys-a");
        Path dataB = ItEnv.workDir("data-keys-b");
        TomcatServer a = create("keys-a", db, dataA);
        TomcatServer b = create("keys-b", db, dataB);
        try (MockProvider mock = new MockProvider()) {
            a.launch();
            b.launch();
            Poll.until(Duration.ofSeconds(180), "both instances started or refused",
                    () -> decided(a) && decided(b));
            boolean aStarted = ready(a) == 200;
            TomcatServer started = aStarted ? a : b;
            TomcatServer refused = aStarted ? b : a;
            Path startedKey = (aStarted ? dataA : dataB).resolve("encryption-key");
            Path refusedKey = (aStarted ? dataB : dataA).resolve("encryption-key");
            assertEquals(200, ready(started), "one instance starts");
            assertNotEquals(200, ready(refused), "the other does not serve:\n" + Readiness.tail(refused.log()));

            String expected = KeyRotationIT.keyId(Files.readString(startedKey));
            String own = KeyRotationIT.keyId(Files.readString(refusedKey));
            assertNotEquals(expected, own, "each generated its own key file");
            String log = refused.log();
            assertTrue(log.contains(FAILED), log);
            assertTrue(log.contains("This database was sealed with master key " + expected), Readiness.tail(log));
            assertTrue(log.contains("This instance holds current key " + own), Readiness.tail(log));
            assertTrue(log.contains("copy the key file"), "says how to fix it:\n" + Readiness.tail(log));
            System.out.printf("[keys] two Tomcats with their own key files on one PostgreSQL database: %s started,"
                    + " %s refused (database expects %s, it held %s)%n", started.name(), refused.name(), expected, own);

            // The fix the message names: the same key file on both; the refused instance then starts.
            Http admin = new Http(started.baseUrl(), Deployment.MANAGEMENT_TOKEN);
            String projectId = admin.post("/manage/projects", "{\"name\":\"two-keys\",\"provider\":\"openai\","
                    + "\"base_url\":\"" + mock.baseUrl() + "\",\"api_key\":\"" + MockProvider.OPENAI_KEY + "\"}")
                    .json().path("id").asText();
            String token = admin.post("/manage/tokens", "{\"project_id\":\"" + projectId
                    + "\",\"duration_minutes\":5}").json().path("token").asText();
            refused.stop();
            Files.copy(startedKey, refusedKey, StandardCopyOption.REPLACE_EXISTING);
            refused.start();
            assertEquals(200, models(refused, token).statusCode(), "a token issued on the other instance is valid");
            assertEquals(200, models(started, token).statusCode());
        } finally {
            a.stop();
            b.stop();
        }
    }

    private static boolean decided(TomcatServer server) {
        return server.log().contains(FAILED) || ready(server) == 200;
    }

    private static int ready(TomcatServer server) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> models(TomcatServer server, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** No encryption-key anywhere: each instance generates a key file in its own data directory. */
    private static TomcatServer create(String name, TestDatabase db, Path dataDir) {
        return TomcatServer.create(name, Optional.of("llm-proxy-postgresql.xml"), List.of("postgresql"),
                Map.of("llmproxy.db.url", db.jdbcUrl(), "llmproxy.db.user", db.user(),
                        "llmproxy.db.password", db.password(), "llmproxy.data-dir", dataDir.toString(),
                        "llmproxy.management-token", Deployment.MANAGEMENT_TOKEN), Map.of());
    }
}
