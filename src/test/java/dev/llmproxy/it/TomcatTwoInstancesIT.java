package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Tomcats started at the same moment against one empty PostgreSQL database: Liquibase's lock lets exactly one
 * apply the changelog, and both serve the same data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatTwoInstancesIT {
    private static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TomcatServer a;
    private TomcatServer b;

    @AfterAll
    void stop() {
        for (TomcatServer s : new TomcatServer[] {a, b}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    void twoInstancesStartingTogetherApplyTheChangelogOnceAndShareData() throws Exception {
        TestDatabase db = TestPostgres.server().createDatabase("two");
        Path dataA = ItEnv.workDir("data-a");
        Path dataB = ItEnv.workDir("data-b");
        a = create("a", db, dataA);
        b = create("b", db, dataB);
        CompletableFuture.allOf(CompletableFuture.runAsync(a::start), CompletableFuture.runAsync(b::start)).join();

        long changeSets = db.count("SELECT COUNT(*) FROM databasechangelog");
        long distinct = db.count("SELECT COUNT(DISTINCT id) FROM databasechangelog");
        assertEquals(changeSets, distinct, "no change set recorded twice");
        long appliedA = new Http(a.baseUrl(), null).get("/health/ready").json().path("schema").path("applied_at_start").asLong();
        long appliedB = new Http(b.baseUrl(), null).get("/health/ready").json().path("schema").path("applied_at_start").asLong();
        assertEquals(changeSets, appliedA + appliedB, "each change set applied by exactly one instance");

        // Exactly one instance generated the management token; both accept it.
        List<Path> tokenFiles = List.of(dataA, dataB).stream().map(d -> d.resolve("initial-management-token"))
                .filter(Files::exists).toList();
        assertEquals(1, tokenFiles.size(), "one generated token for the shared database");
        String token = read(tokenFiles.get(0));
        Http viaA = new Http(a.baseUrl(), token);
        Http viaB = new Http(b.baseUrl(), token);
        Http.Response created = viaA.post("/manage/projects",
                "{\"name\":\"shared\",\"provider\":\"anthropic\",\"api_key\":\"sk-ant-shared-123456\"}");
        assertEquals(201, created.status(), created.body());
        Http.Response read = viaB.get("/manage/projects/" + created.json().path("id").asText());
        assertEquals(200, read.status(), read.body());
        assertEquals(created.json(), read.json());

        proxyGuaranteesHoldAcrossInstances(viaA, viaB);
    }

    /** Revocation through A bites on B within 1 s; max_requests counts calls through both exactly. */
    private void proxyGuaranteesHoldAcrossInstances(Http viaA, Http viaB) throws Exception {
        try (MockProvider mock = new MockProvider()) {
            Http.Response project = viaA.post("/manage/projects", "{\"name\":\"shared-openai\",\"provider\":\"openai\","
                    + "\"base_url\":\"" + mock.baseUrl() + "\",\"api_key\":\"" + MockProvider.OPENAI_KEY + "\"}");
            String projectId = project.json().path("id").asText();
            Http.Response issued = viaA.post("/manage/tokens", "{\"project_id\":\"" + projectId + "\",\"duration_minutes\":5}");
            String token = issued.json().path("token").asText();
            assertEquals(200, models(b, token).statusCode(), "B knows the token A issued");
            assertEquals(204, viaA.delete("/manage/tokens/" + issued.json().path("id").asText()).status());
            long started = System.nanoTime();
            Poll.until(Duration.ofSeconds(1), "revoked through A, refused by B",
                    () -> models(b, token).statusCode() == 401);
            System.out.printf("[timing] two Tomcats: revocation through A refused by B after %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);

            String limited = viaB.post("/manage/tokens", "{\"project_id\":\"" + projectId
                    + "\",\"duration_minutes\":5,\"max_requests\":10}").json().path("token").asText();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                TomcatServer target = i % 2 == 0 ? a : b;
                calls.add(CompletableFuture.supplyAsync(() -> models(target, limited)));
            }
            long admitted = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
            assertEquals(10, admitted, "max_requests 10 through two instances at once admits exactly 10");

            // Rate limits live in PostgreSQL too: 5 requests a minute, whichever instance serves them.
            String rated = viaA.post("/manage/tokens", "{\"project_id\":\"" + projectId
                    + "\",\"duration_minutes\":5,\"rpm_limit\":5}").json().path("token").asText();
            long ratedAdmitted = 0;
            for (int i = 0; i < 10; i++) {
                ratedAdmitted += models(i % 2 == 0 ? a : b, rated).statusCode() == 200 ? 1 : 0;
            }
            assertEquals(5, ratedAdmitted, "an rpm_limit of 5 holds across two instances");
        }
    }

    private static HttpResponse<String> models(TomcatServer server, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TomcatServer create(String name, TestDatabase db, Path dataDir) {
        return TomcatServer.create("pg-" + name, Optional.of("llm-proxy-postgresql.xml"), List.of("postgresql"),
                Map.of("llmproxy.db.url", db.jdbcUrl(), "llmproxy.db.user", db.user(),
                        "llmproxy.db.password", db.password(), "llmproxy.data-dir", dataDir.toString()),
                Map.of("LLMPROXY_ENCRYPTION_KEY", ENCRYPTION_KEY));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
