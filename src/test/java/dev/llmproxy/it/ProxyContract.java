package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The proxy path on every container x database combination: the official SDKs against a mock provider, streaming
 * without buffering, cancellation, exact quotas, revocation timing, size limits and every error shape.
 */
interface ProxyContract extends Contract {

    @Test
    default void officialSdksWorkThroughTheProxyUnchangedButForBaseUrlAndKey() {
        String openAiToken = token(openAiProject("sdk-openai"), "");
        String anthropicToken = token(anthropicProject("sdk-anthropic"), "");
        int before = mock().received.size();
        JsonNode out = NodeSdk.run(Map.of("OPENAI_BASE_URL", server().baseUrl() + "/v1", "OPENAI_API_KEY", openAiToken,
                "ANTHROPIC_BASE_URL", server().baseUrl(), "ANTHROPIC_API_KEY", anthropicToken));
        assertEquals("Hello from mock", out.path("chat").asText(), out.toString());
        assertEquals("Hello from mock", out.path("chatStream").asText());
        assertTrue(out.path("chatStreamChunks").asInt() >= 5, "every chunk arrived: " + out);
        assertEquals(3, out.path("embeddingLength").asInt());
        assertEquals(0.25, out.path("embeddingFirst").asDouble(), 1e-6);
        assertTrue(out.path("models").toString().contains("gpt-mock"));
        assertEquals("gpt-mock", out.path("model").asText());
        assertEquals("Hello from mock", out.path("message").asText());
        assertEquals("Hello from mock", out.path("messageStream").asText());
        assertEquals("end_turn", out.path("messageStreamStop").asText());
        assertEquals(401, out.path("badToken").path("status").asInt());
        assertEquals("token_invalid", out.path("badToken").path("code").asText());
        assertEquals(401, out.path("badAnthropicToken").path("status").asInt());

        // The provider saw the project's key in its own header, and never a proxy token.
        List<MockProvider.Received> seen = List.copyOf(mock().received.subList(before, mock().received.size()));
        assertFalse(seen.isEmpty());
        for (MockProvider.Received r : seen) {
            if (r.path().equals("/v1/messages")) {
                assertEquals(MockProvider.ANTHROPIC_KEY, r.header("x-api-key"));
                assertNull(r.header("authorization"));
            } else {
                assertEquals("Bearer " + MockProvider.OPENAI_KEY, r.header("authorization"));
                assertNull(r.header("x-api-key"));
            }
            assertFalse(r.headers().toString().contains("lpt_"), "a proxy token reached the provider: " + r);
        }
    }

    @Test
    default void streamIsRelayedEventByEventWithoutBuffering() throws Exception {
        String token = token(openAiProject("stream"), "");
        mock().gate = new java.util.concurrent.CountDownLatch(1);
        HttpResponse<InputStream> response = http().send(chat(token, "mock-gate", true).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    if (events.isEmpty()) {
                        // The provider is still holding the rest back until this first event arrives here.
                        assertEquals(1, mock().gate.getCount(), "the first event arrived before the provider went on");
                        mock().gate.countDown();
                    }
                    events.add(line.substring(6));
                }
            }
        }
        assertFalse(mock().gateTimedOut, "the first event was held back by the proxy: the provider's gate timed out");
        assertEquals("[DONE]", events.get(events.size() - 1));
        assertEquals(6, events.size(), events.toString());
    }

    @Test
    default void clientDisconnectCancelsTheUpstreamRequest() throws Exception {
        String token = token(openAiProject("disconnect"), "");
        mock().endlessBroken = new java.util.concurrent.CountDownLatch(1);
        HttpResponse<InputStream> response = http().send(chat(token, "mock-endless", true).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String line;
        do {
            line = reader.readLine();
        } while (line != null && !line.startsWith("data: "));
        body.close();
        assertTrue(mock().endlessBroken.await(15, TimeUnit.SECONDS),
                "the provider kept streaming after the client went away");
    }

    @Test
    default void maxRequestsIsExactUnderConcurrency() throws Exception {
        Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + openAiProject("max-requests")
                + "\",\"duration_minutes\":60,\"max_requests\":3}");
        String token = issued.json().path("token").asText();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(http().sendAsync(get(token, "/v1/models").build(), HttpResponse.BodyHandlers.ofString()));
        }
        // every call has ended before anything is asserted: none is left running into the next test
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        int ok = 0;
        int refused = 0;
        for (var call : calls) {
            HttpResponse<String> r = call.join();
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                assertEquals("max_requests_exceeded", JSON.readTree(r.body()).path("error").path("code").asText());
                refused++;
            }
        }
        assertEquals(3, ok, "exactly max_requests calls admitted");
        assertEquals(9, refused);
        assertEquals(3, admin().get("/manage/tokens/" + issued.json().path("id").asText()).json()
                .path("request_count").asInt());
    }

    @Test
    default void revocationAndDeactivationBiteWithinOneSecond() throws Exception {
        String revoked = openAiProject("revoked");
        Http.Response issued = admin().post("/manage/tokens",
                "{\"project_id\":\"" + revoked + "\",\"duration_minutes\":60}");
        String token = issued.json().path("token").asText();
        String tokenId = issued.json().path("id").asText();
        assertEquals(200, call(get(token, "/v1/models")).statusCode());
        assertEquals(204, admin().delete("/manage/tokens/" + tokenId).status());
        assertRefusedWithin(token, 401, "token_revoked", Duration.ofSeconds(1));
        admin().patch("/manage/tokens/" + tokenId, "{\"expires_at\":\"" + Instant.now().plusSeconds(7200) + "\"}");
        assertEquals(401, call(get(token, "/v1/models")).statusCode(), "revocation is final");

        // Revoked elsewhere (another instance writing to the shared database): the cache lets go within 1 s.
        Http.Response other = admin().post("/manage/tokens",
                "{\"project_id\":\"" + revoked + "\",\"duration_minutes\":60}");
        String otherToken = other.json().path("token").asText();
        assertEquals(200, call(get(otherToken, "/v1/models")).statusCode());
        try (Connection c = db().connect();
             PreparedStatement s = c.prepareStatement("UPDATE tokens SET revoked_at = ? WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(Instant.now()));
            s.setString(2, other.json().path("id").asText());
            assertEquals(1, s.executeUpdate());
        }
        assertRefusedWithin(otherToken, 401, "token_revoked", Duration.ofSeconds(1));

        String project = openAiProject("deactivated-" + db().kind());
        String projectToken = token(project, "");
        assertEquals(200, call(get(projectToken, "/v1/models")).statusCode());
        assertEquals(200, admin().patch("/manage/projects/" + project, "{\"is_active\":false}").status());
        assertRefusedWithin(projectToken, 403, "project_inactive", Duration.ofSeconds(1));
    }

    @Test
    default void oversizedBodiesAreRefusedWith413BeforeReachingTheProvider() throws Exception {
        String token = token(openAiProject("oversized"), "");
        int before = mock().receivedOn("/v1/chat/completions").size();
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        // A client of its own: the JDK client stops sending a body when the answer comes early, yet may pool the
        // connection, whose next request then waits behind the unsent rest (seen on Undertow). The proxy asks for
        // the connection to be closed (Connection: close) when it answers before reading a body; Tomcat honours
        // that, Undertow keeps the connection.
        HttpClient ownClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> declared = ownClient.send(post(token, "/v1/chat/completions", big).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(declared, 413, "request_too_large", "invalid_request_error");
        HttpResponse<String> chunked = ownClient.send(request(token, "/v1/chat/completions").header("content-type",
                "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "request_too_large", "invalid_request_error");
        assertEquals(before, mock().receivedOn("/v1/chat/completions").size(), "nothing reached the provider");
    }

    @Test
    default void refusalsAndUpstreamFailuresAreOpenAiStyleErrors() throws Exception {
        String project = openAiProject("refusals");
        String token = token(project, "");
        assertError(call(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models"))), 401, "token_missing",
                "authentication_error");
        assertError(call(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models"))
                .header("x-api-key", "lpt_garbage")), 401, "token_invalid", "authentication_error");
        assertEquals(200, call(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models"))
                .header("api-key", token)).statusCode(), "Azure-style api-key header");

        Http.Response shortLived = admin().post("/manage/tokens", "{\"project_id\":\"" + project
                + "\",\"expires_at\":\"" + Instant.now().plusSeconds(2) + "\"}");
        // Waits out the token's two-second lifetime: its expiry is what is tested here, not a synchronisation.
        Thread.sleep(2_500);
        assertError(call(get(shortLived.json().path("token").asText(), "/v1/models")), 401, "token_expired",
                "authentication_error");

        assertError(call(get(token, "/v1/unknown")), 404, "unknown_path", "invalid_request_error");
        HttpResponse<String> wrongMethod = call(request(token, "/v1/chat/completions").DELETE());
        assertError(wrongMethod, 405, "method_not_allowed", "invalid_request_error");
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElse(""));

        HttpResponse<String> upstream500 = call(chat(token, "mock-500", false));
        assertEquals(500, upstream500.statusCode(), "provider errors pass through with their status");
        assertTrue(upstream500.body().contains("mock failure"), upstream500.body());

        String closedPort = "http://127.0.0.1:" + FreePorts.any();
        String down = project("down-" + db().kind(), "openai-compatible", closedPort, "sk-unused-key-123");
        assertError(call(chat(token(down, ""), "gpt-mock", false)), 502, "upstream_unavailable", "api_error");

        long started = System.nanoTime();
        assertError(call(chat(token, "mock-slow", false)), 504, "upstream_timeout", "api_error");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 7_000, "response timeout applied");

        started = System.nanoTime();
        HttpResponse<String> stalled = call(chat(token, "mock-stall", true));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(200, stalled.statusCode());
        assertFalse(stalled.body().contains("[DONE]"), "the stalled stream was cut by the idle timeout");
        assertTrue(tookMs >= 2_500 && tookMs < 7_500, "idle timeout of 3 s applied, took " + tookMs + " ms");
    }

    @Test
    default void clientCredentialsCookiesAndAddressesNeverReachTheProvider() throws Exception {
        String token = token(openAiProject("credentials"), "");
        HttpResponse<String> r = call(chat(token, "gpt-mock", false).header("Cookie", "session=abc")
                .header("X-Forwarded-For", "203.0.113.9").header("X-Real-IP", "203.0.113.9")
                .header("OpenAI-Organization", "org-caller"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("set-cookie").isEmpty(), "provider cookies are not passed back");
        MockProvider.Received seen = mock().received.get(mock().received.size() - 1);
        assertEquals("Bearer " + MockProvider.OPENAI_KEY, seen.header("authorization"));
        for (String header : List.of("cookie", "x-forwarded-for", "x-real-ip", "openai-organization")) {
            assertNull(seen.header(header), header + " reached the provider");
        }
    }

    @Test
    default void tokenAdministrationValidatesFiltersAndRevokesAProjectAtOnce() {
        String project = openAiProject("tokens-" + db().kind());
        Http.Response both = admin().post("/manage/tokens", "{\"project_id\":\"" + project
                + "\",\"duration_minutes\":5,\"expires_at\":\"" + Instant.now().plusSeconds(600) + "\"}");
        assertEquals(400, both.status(), both.body());
        assertEquals("duration_minutes", both.json().path("field").asText());
        Http.Response wrongType = admin().post("/manage/tokens", "{\"project_id\":\"" + project
                + "\",\"duration_minutes\":\"soon\"}");
        assertEquals(400, wrongType.status());
        assertEquals("duration_minutes", wrongType.json().path("field").asText());
        assertEquals("project_not_found", admin().post("/manage/tokens",
                "{\"project_id\":\"nope\",\"duration_minutes\":5}").json().path("code").asText());
        assertEquals("page", admin().get("/manage/tokens?page=abc").json().path("field").asText());

        Http.Response first = admin().post("/manage/tokens", "{\"project_id\":\"" + project
                + "\",\"duration_minutes\":5,\"name\":\"first\"}");
        token(project, "");
        token(project, "");
        Http.Response read = admin().get("/manage/tokens/" + first.json().path("id").asText());
        assertTrue(read.json().path("token").isMissingNode(), "the plain token is shown only when issued");
        assertEquals(first.json().path("token_hint").asText(), read.json().path("token_hint").asText());
        assertEquals(3, admin().get("/manage/tokens?is_active=true&project_id=" + project).json().path("total").asInt());

        Http.Response revoked = admin().post("/manage/projects/" + project + "/tokens/revoke", "");
        assertEquals(200, revoked.status(), revoked.body());
        assertEquals(3, revoked.json().path("revoked_count").asInt());
        assertEquals(0, admin().get("/manage/tokens?is_active=true&project_id=" + project).json().path("total").asInt());
        assertEquals(3, admin().get("/manage/tokens?is_active=false&project_id=" + project).json().path("total").asInt());

        admin().patch("/manage/projects/" + project, "{\"is_active\":false}");
        Http.Response inactive = admin().post("/manage/tokens", "{\"project_id\":\"" + project
                + "\",\"duration_minutes\":5}");
        assertEquals(409, inactive.status());
        assertEquals("project_inactive", inactive.json().path("code").asText());
        assertEquals(405, admin().delete("/manage/projects/" + project).status(), "nothing is destroyed");

        Http.Response openApi = new Http(server().baseUrl(), null).get("/manage/openapi.json");
        assertEquals(200, openApi.status());
        assertEquals("3.1.0", openApi.json().path("openapi").asText());
    }

    private void assertRefusedWithin(String token, int status, String code, Duration limit) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> r = Poll.until(limit, code + " takes effect", () -> call(get(token, "/v1/models")),
                refused -> refused.statusCode() == status);
        assertEquals(code, JSON.readTree(r.body()).path("error").path("code").asText());
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("[timing] %s on %s: %s took effect after %d ms%n", server().name(), db().kind(), code, tookMs);
    }

    private void assertError(HttpResponse<String> r, int status, String code, String type) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(code, error.path("code").asText(), r.body());
        assertEquals(type, error.path("type").asText(), r.body());
        assertFalse(error.path("message").asText().isBlank());
    }

    /**
     * Google's ?key= (#15): taken as the token on Gemini's native paths only, removed from every query that goes on
     * (the mock refuses any key parameter), the rest of the query kept; hostile model segments are refused in
     * Google's error shape before anything goes upstream.
     */
    @Test
    default void proxyTakesGooglesKeyParameterOnlyOnGeminisPathsAndNeverPassesItOn() throws Exception {
        String token = token(project("gemini-key", "gemini", mock().baseUrl(), MockGemini.KEY), "");
        HttpRequest.Builder keyed = HttpRequest.newBuilder(URI.create(server().baseUrl()
                + "/v1beta/models?pageSize=5&key=" + token)).timeout(Duration.ofSeconds(30)).GET();
        HttpResponse<String> listed = call(keyed);
        assertEquals(200, listed.statusCode(), listed.body());
        MockProvider.Received sent = mock().receivedOn("/v1beta/models").get(0);
        assertEquals("pageSize=5", sent.query(), "the key dropped, the rest kept");

        String openAiToken = token(openAiProject("gemini-key-openai"), "");
        int before = mock().receivedOn("/v1/models").size();
        HttpResponse<String> elsewhere = call(HttpRequest.newBuilder(URI.create(server().baseUrl()
                + "/v1/models?key=" + openAiToken)).timeout(Duration.ofSeconds(30)).GET());
        assertEquals(401, elsewhere.statusCode(), elsewhere.body());
        assertEquals("token_missing", JSON.readTree(elsewhere.body()).path("error").path("code").asText(), "not a token outside Gemini's paths");
        HttpResponse<String> bearer = call(get(openAiToken, "/v1/models?key=other&limit=2"));
        assertEquals(200, bearer.statusCode(), bearer.body());
        List<MockProvider.Received> models = mock().receivedOn("/v1/models");
        assertEquals(before + 1, models.size());
        assertEquals("limit=2", models.get(models.size() - 1).query(), "no provider gets a key parameter");

        int upstream = mock().received.size();
        for (String[] hostile : new String[][] {{"/v1beta/models/gemini%20mock:generateContent", "404", "NOT_FOUND"},
                {"/v1beta/models/:generateContent", "405", "UNIMPLEMENTED"},
                {"/v1beta/models/gemini-mock:generateContent/extra", "404", "NOT_FOUND"}}) {
            HttpResponse<String> refused = call(HttpRequest.newBuilder(URI.create(server().baseUrl() + hostile[0]))
                    .timeout(Duration.ofSeconds(30)).header("x-goog-api-key", token).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[]}")));
            assertEquals(Integer.parseInt(hostile[1]), refused.statusCode(), hostile[0] + ": " + refused.body());
            JsonNode error = JSON.readTree(refused.body()).path("error");
            assertEquals(Integer.parseInt(hostile[1]), error.path("code").asInt(), "Google's shape: " + refused.body());
            assertEquals(hostile[2], error.path("status").asText(), refused.body());
        }
        assertEquals(upstream, mock().received.size(), "nothing hostile went upstream");
    }
}
