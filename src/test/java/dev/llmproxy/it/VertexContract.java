package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Google Vertex AI upstreams called with a service account's access tokens (docs/proxy.md, "Google Vertex AI"): the
 * upstream's key is the account's JSON key, whose token_uri is the mock's ({@link MockVertex}); the proxy signs a JWT
 * with the account's key, gets a token and calls Vertex AI with it in {@code Authorization: Bearer}. Its records are
 * checked as {@link UsageContract}'s, which every class implementing this one implements too.
 */
interface VertexContract extends UsageContract {
    String GEMINI_PATH = "/v1beta1/projects/llm-proxy-test/locations/us-central1/publishers/google/models/"
            + "gemini-vertex-mock:generateContent";

    /** A vertex-ai project whose key is the JSON key of the mock's account {@code label}; returns its response. */
    private Http.Response vertexProject(String name, String label) {
        ObjectNode project = new ObjectMapper().createObjectNode().put("name", deployment().unique(name))
                .put("provider", "vertex-ai").put("base_url", mock().baseUrl())
                .put("api_key", MockVertex.serviceAccountJson(mock().baseUrl(), label));
        project.putArray("allowed_models").add("gemini-vertex-mock").add("claude-vertex-mock")
                .add("google/gemini-vertex-mock");
        return admin().post("/manage/projects", project.toString());
    }

    /**
     * @google/genai in Vertex mode (project paths with a bearer token, and express mode with the token as its API
     * key), @anthropic-ai/vertex-sdk (rawPredict, streamed and not) and the openai SDK on the OpenAI-compatible
     * endpoint get their answers through a vertex-ai project; Vertex saw the token the mock issued, never the proxy
     * token nor a key; all the calls cost one token request; each is recorded once with Vertex's usage and a cost;
     * a model off the allowlist is refused in the SDK's own error shape.
     */
    @Test
    default void vertexAiThroughGooglesAndAnthropicsSdksWithServiceAccountTokens() throws Exception {
        for (String[] price : new String[][] {{"gemini-vertex-mock", "2", "0.5", "10"},
                {"google/gemini-vertex-mock", "2", "0.5", "10"}, {"claude-vertex-mock", "3", "0.3", "15"}}) {
            Http.Response put = admin().put("/manage/prices/" + price[0], "{\"input_per_mtok_usd\":" + price[1]
                    + ",\"cached_input_per_mtok_usd\":" + price[2] + ",\"output_per_mtok_usd\":" + price[3] + "}");
            assertEquals(200, put.status(), put.body());
        }
        String label = deployment().unique("sa").toLowerCase();
        Http.Response created = vertexProject("vertex", label);
        assertEquals(201, created.status(), created.body());
        assertFalse(created.body().contains("PRIVATE KEY"), "the key is never shown: " + created.body());
        Contract.Issued issued = issue(created.json().path("id").asText(), "");

        JsonNode out = NodeSdk.run("vertex-check.mjs", Map.of("VERTEX_ENDPOINT", server().baseUrl(),
                "VERTEX_TOKEN", issued.token()));
        long lastCallEnded = System.nanoTime();
        assertEquals("Hello from Gemini", out.path("text").asText(), out.toString());
        assertEquals("Hello from Gemini", out.path("streamText").asText(), out.toString());
        assertEquals("Hello from Gemini", out.path("expressText").asText(), out.toString());
        assertEquals(20, out.path("usage").path("thoughtsTokenCount").asInt(), "Vertex's usage, unchanged: " + out);
        assertEquals(31, out.path("totalTokens").asInt(), out.toString());
        assertEquals("Hello from mock", out.path("claudeText").asText(), out.toString());
        assertEquals("Hello from mock", out.path("claudeStreamText").asText(), out.toString());
        assertEquals("Hello from mock", out.path("openaiText").asText(), out.toString());
        JsonNode notAllowed = out.path("errors").path("notAllowed");
        assertEquals(403, notAllowed.path("status").asInt(), out.toString());
        assertEquals("PERMISSION_DENIED", notAllowed.path("body").path("error").path("status").asText(), "Google's");
        assertEquals("model_not_allowed", notAllowed.path("body").path("error").path("details").path(0)
                .path("reason").asText(), out.toString());
        assertEquals(401, out.path("errors").path("badToken").path("status").asInt(), out.toString());
        JsonNode claudeRefused = out.path("errors").path("claudeNotAllowed");
        assertEquals(403, claudeRefused.path("status").asInt(), out.toString());
        assertEquals("permission_error", claudeRefused.path("type").asText(), "Anthropic's shape: " + out);
        assertEquals("model_not_allowed", claudeRefused.path("code").asText(), out.toString());

        assertEquals(1, mock().vertex.tokenRequests(label), "one token for every call that reached Vertex");
        for (String path : List.of(GEMINI_PATH,
                "/v1beta1/publishers/google/models/gemini-vertex-mock:generateContent",
                "/v1/projects/llm-proxy-test/locations/us-east5/publishers/anthropic/models/claude-vertex-mock"
                        + ":rawPredict",
                "/v1/projects/llm-proxy-test/locations/us-central1/endpoints/openapi/chat/completions")) {
            List<MockProvider.Received> sent = mock().receivedOn(path);
            assertFalse(sent.isEmpty(), "Vertex saw " + path);
            MockProvider.Received last = sent.get(sent.size() - 1);
            assertTrue(last.header("Authorization").matches("Bearer ya29\\.mock-vertex-\\d+"), path);
            assertNull(last.header("x-goog-api-key"), "a token, not the caller's key: " + path);
            assertFalse(last.headers().toString().contains(issued.token()), "the proxy token stays here: " + path);
        }

        Map<String, String> ids = new LinkedHashMap<>();
        out.path("ids").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        Map<String, JsonNode> records = awaitRecords(List.copyOf(ids.values()), lastCallEnded);
        // 8 uncached x 2 + 3 cached x 0.5 + (4 + 20 thoughts) x 10 = 257.5, half up
        for (String whole : List.of("generate", "express")) {
            UsageContract.assertRecord(records.get(ids.get(whole)), "gemini-vertex-mock", 11, 24, 3, 258L, false);
        }
        assertEquals("publishers.google.models.generateContent", records.get(ids.get("generate")).path("api").asText());
        assertEquals("vertex-ai", records.get(ids.get("generate")).path("provider").asText());
        // the last chunk's usage
        UsageContract.assertRecord(records.get(ids.get("stream")), "gemini-vertex-mock", 11, 3, 2, 49L, true);
        // counting is free
        UsageContract.assertRecord(records.get(ids.get("count")), "gemini-vertex-mock", 0, 0, 0, 0L, false);
        // Anthropic's usage: 10 x 3 + 4 x 15 = 90
        UsageContract.assertRecord(records.get(ids.get("rawPredict")), "claude-vertex-mock", 10, 4, 0, 90L, false);
        UsageContract.assertRecord(records.get(ids.get("streamRawPredict")), "claude-vertex-mock", 10, 4, 0, 90L, true);
        assertEquals("publishers.anthropic.models.streamRawPredict",
                records.get(ids.get("streamRawPredict")).path("api").asText());
        // OpenAI's usage: 10 x 2 + 2 x 0.5 + 4 x 10 = 61
        UsageContract.assertRecord(records.get(ids.get("openaiChat")), "google/gemini-vertex-mock", 12, 4, 2, 61L,
                false);
        for (String id : ids.values()) {
            awaitCount("SELECT COUNT(*) FROM request_records WHERE request_id = '" + id + "'", 1);
        }
    }

    /**
     * A malformed JSON key is refused when stored, naming the field and repeating none of it; a token endpoint that
     * refuses the assertion, is slow or fails gets the caller Google's error shape (502 or 503) with the proxy's code,
     * never the key, recorded once with that status, and Vertex is never called; a hostile path segment is refused in
     * Google's shape too.
     */
    @Test
    default void vertexAiTokenFailuresAreRefusedClearlyAndRecordedOnce() throws Exception {
        String secretLike = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
        Http.Response malformed = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("vertex-bad")
                + "\",\"provider\":\"vertex-ai\",\"api_key\":\"{\\\"type\\\":\\\"service_account\\\","
                + "\\\"client_email\\\":\\\"a@b.iam.gserviceaccount.com\\\",\\\"private_key\\\":\\\"" + secretLike
                + "\\\",\\\"token_uri\\\":\\\"https://oauth2.googleapis.com/token\\\"}\"}");
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals("api_key", malformed.json().path("field").asText(), malformed.body());
        assertTrue(malformed.body().contains("private_key"), malformed.body());
        assertFalse(malformed.body().contains(secretLike), malformed.body());

        record Fault(String labelPrefix, int status, String code) { }
        int vertexCallsBefore = mock().receivedOn(GEMINI_PATH).size();
        String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
        for (Fault fault : List.of(new Fault("rejected", 502, "upstream_credentials_rejected"),
                new Fault("slow", 503, "upstream_credentials_unavailable"),
                new Fault("down", 503, "upstream_credentials_unavailable"))) {
            String label = fault.labelPrefix() + deployment().unique("sa").toLowerCase();
            Http.Response created = vertexProject("vertex-fault", label);
            assertEquals(201, created.status(), created.body());
            Contract.Issued issued = issue(created.json().path("id").asText(), "");
            long started = System.nanoTime();
            HttpResponse<String> refused = call(post(issued.token(), GEMINI_PATH,
                    body.getBytes(StandardCharsets.UTF_8)));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(fault.status(), refused.statusCode(), label + ": " + refused.body());
            JsonNode error = new ObjectMapper().readTree(refused.body()).path("error");
            assertEquals(fault.status(), error.path("code").asInt(), "Google's shape: " + refused.body());
            assertEquals(fault.code(), error.path("details").path(0).path("reason").asText(), refused.body());
            assertTrue(error.path("message").asText().contains("Google"), refused.body());
            assertFalse(refused.body().contains("PRIVATE"), refused.body());
            assertTrue(tookMs < 6_000, label + ": answered by the deadline (1.5 s per attempt), took " + tookMs
                    + " ms");
            String requestId = refused.headers().firstValue("x-llm-proxy-request-id").orElseThrow();
            awaitCount("SELECT COUNT(*) FROM request_records WHERE request_id = '" + requestId + "' AND status = "
                    + fault.status() + " AND error_code = '" + fault.code() + "'", 1);
            awaitCount(issued.recordsQuery(), 1);
        }
        assertEquals(vertexCallsBefore, mock().receivedOn(GEMINI_PATH).size(),
                "no call reached Vertex without a token");

        String label = deployment().unique("sa").toLowerCase();
        Contract.Issued issued = issue(vertexProject("vertex-hostile", label).json().path("id").asText(), "");
        HttpResponse<String> hostile = call(post(issued.token(), GEMINI_PATH.replace("llm-proxy-test", "a%20b"),
                body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(404, hostile.statusCode(), hostile.body());
        assertEquals("NOT_FOUND", new ObjectMapper().readTree(hostile.body()).path("error").path("status").asText(),
                hostile.body());
        assertEquals(0, mock().vertex.tokenRequests(label), "refused before any token was asked for");
    }
}
