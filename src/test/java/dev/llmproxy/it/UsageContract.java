package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Usage records, cost, reports and the audit trail, on every container x database combination. Prices for the
 * mock's models are set through the admin API; expected costs are worked out in the comments.
 */
interface UsageContract extends Contract {

    @Test
    default void recordsCarryTheProvidersOwnTokenCountsAndCost() throws Exception {
        putMockPrices();
        String usageToken = token(openAiProject("usage-records"), "");
        String anthropicToken = token(anthropicProject("usage-records-anthropic"), "");

        Map<String, HttpResponse<String>> calls = openAiCalls(usageToken);
        calls.put("message", call(anthropic(anthropicToken, false)));
        calls.put("messageStream", call(anthropic(anthropicToken, true)));
        long lastCallEnded = System.nanoTime();
        Map<String, String> requestIds = ids(calls);
        HttpResponse<String> streamed = calls.get("stream");
        HttpResponse<String> streamedWithUsage = calls.get("streamWithUsage");

        // The caller who did not ask for usage sees none: no usage-only chunk, no "usage":null member.
        assertFalse(streamed.body().contains("usage"), streamed.body());
        assertEquals(6, dataEvents(streamed.body()).size(), "role, three words, finish, [DONE]");
        // The provider was asked for it on the caller's behalf.
        String upstreamBody = mock().receivedOn("/v1/chat/completions").stream()
                .filter(r -> r.body().contains("\"stream\":true")).reduce((a, b) -> b).orElseThrow().body();
        assertTrue(upstreamBody.contains("\"include_usage\":true"), upstreamBody);
        // The caller who asked gets the usage chunk as the provider sent it.
        assertTrue(streamedWithUsage.body().contains("\"completion_tokens\":3"), streamedWithUsage.body());
        assertEquals(7, dataEvents(streamedWithUsage.body()).size());

        Map<String, JsonNode> records = awaitRecords(List.copyOf(requestIds.values()), lastCallEnded);
        // 10 uncached x 2.50 + 2 cached x 1.25 + 4 x 10.00 = 67.5 micro-USD, rounded half up
        assertRecord(records.get(requestIds.get("chat")), "gpt-mock", 12, 4, 2, 68L, false);
        // 12 x 2.50 + 3 x 10.00 = 60
        assertRecord(records.get(requestIds.get("stream")), "gpt-mock", 12, 3, 0, 60L, true);
        assertRecord(records.get(requestIds.get("streamWithUsage")), "gpt-mock", 12, 3, 0, 60L, true);
        // 3 x 0.02 = 0.06 micro-USD: priced, rounds to 0
        assertRecord(records.get(requestIds.get("embedding")), "text-embedding-mock", 3, 0, 0, 0L, false);
        // 10 x 3 + 4 x 15 = 90
        assertRecord(records.get(requestIds.get("message")), "claude-mock", 10, 4, 0, 90L, false);
        assertRecord(records.get(requestIds.get("messageStream")), "claude-mock", 10, 4, 0, 90L, true);
    }

    /**
     * The Responses API through the official openai SDK, on an openai and an openai-compatible project: created
     * streamed and not, retrieved, cancelled, its input items listed and deleted. Each create is recorded with the
     * provider's own usage (from the body, or from the stream's last event, response.completed), its cached input
     * priced at the cached price and its reasoning tokens billed once, as the output they are part of; every call
     * says which API it reached, and the report groups by it.
     */
    @Test
    default void responsesApiCallsThroughTheOpenAiSdkAreRecordedWithTheProvidersUsage() throws Exception {
        putMockPrices();
        for (String provider : List.of("openai", "openai-compatible")) {
            Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + project("responses-"
                    + provider, provider, mock().baseUrl(), MockProvider.OPENAI_KEY) + "\",\"duration_minutes\":60}");
            JsonNode out = NodeSdk.run("responses-check.mjs", Map.of("OPENAI_BASE_URL", server().baseUrl() + "/v1",
                    "OPENAI_API_KEY", issued.json().path("token").asText()));
            long lastCallEnded = System.nanoTime();
            assertEquals("Hello from mock", out.path("text").asText(), out.toString());
            assertEquals("Hello from mock", out.path("streamText").asText(), out.toString());
            assertEquals("response.completed", out.path("streamEvents").get(out.path("streamEvents").size() - 1)
                    .asText(), "the stream's events arrived whole and in order: " + out);
            assertEquals(7, out.path("streamUsage").path("output_tokens").asInt(), out.toString());
            assertEquals("completed", out.path("retrievedStatus").asText());
            assertEquals("cancelled", out.path("cancelledStatus").asText());
            assertEquals(1, out.path("inputItems").asInt());

            Map<String, String> ids = new LinkedHashMap<>();
            out.path("ids").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
            Map<String, JsonNode> records = awaitRecords(List.copyOf(ids.values()), lastCallEnded);
            // 9 uncached x 2.50 + 4 cached x 1.25 + 7 x 10.00 (the 2 reasoning tokens among them) = 97.5, half up
            for (String create : List.of("create", "stream")) {
                JsonNode r = records.get(ids.get(create));
                assertRecord(r, "gpt-mock", 13, 7, 4, 98L, create.equals("stream"));
                assertEquals(2, r.path("reasoning_tokens").asLong(), r.toString());
                assertEquals("responses", r.path("api").asText(), r.toString());
                assertEquals(provider, r.path("provider").asText());
            }
            JsonNode retrieved = records.get(ids.get("retrieve"));
            assertEquals("responses", retrieved.path("api").asText());
            // reading the stored response back is not billed again, though its body repeats the usage
            assertEquals(0, retrieved.path("total_tokens").asLong(), retrieved.toString());
            assertEquals(0, retrieved.path("cost_micros").asLong(), retrieved.toString());
            assertEquals("responses.cancel", records.get(ids.get("cancel")).path("api").asText());
            assertEquals("responses.input_items", records.get(ids.get("inputItems")).path("api").asText());
            JsonNode deleted = records.get(ids.get("delete"));
            assertEquals("DELETE", deleted.path("method").asText(), deleted.toString());
            assertEquals("responses", deleted.path("api").asText());

            String tokenId = issued.json().path("id").asText();
            JsonNode byApi = admin().get("/manage/usage?token_id=" + tokenId + "&group_by=api").json();
            Map<String, JsonNode> groups = new HashMap<>();
            byApi.path("groups").forEach(g -> groups.put(g.path("api").asText(), g));
            assertEquals(4, groups.get("responses").path("requests").asLong(), byApi.toString());
            assertEquals(4, groups.get("responses").path("reasoning_tokens").asLong(), byApi.toString());
            assertEquals(196, groups.get("responses").path("cost_micros").asLong(), byApi.toString());
            JsonNode cancels = admin().get("/manage/usage/requests?token_id=" + tokenId + "&api=responses.cancel")
                    .json().path("items");
            assertEquals(1, cancels.size(), cancels.toString());
        }
    }

    /**
     * A Responses API stream that ends incomplete (the output cap was reached) or failed still reports what was
     * used in its last event's response; the record has that usage, not an estimate, and the events reach the
     * caller unchanged.
     */
    @Test
    default void responsesStreamsEndingIncompleteOrFailedAreRecordedWithTheirUsage() throws Exception {
        putMockPrices();
        String token = token(openAiProject("responses-ends"), "");
        Map<String, HttpResponse<String>> calls = new LinkedHashMap<>();
        for (String model : List.of("mock-incomplete", "mock-failed")) {
            calls.put(model, call(request(token, "/v1/responses").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                            + "\",\"input\":\"Say hello\",\"stream\":true}"))));
        }
        long lastCallEnded = System.nanoTime();
        assertTrue(calls.get("mock-incomplete").body().contains("event: response.incomplete\n"),
                calls.get("mock-incomplete").body());
        assertTrue(calls.get("mock-failed").body().contains("event: response.failed\n"));
        Map<String, String> ids = ids(calls);
        Map<String, JsonNode> records = awaitRecords(List.copyOf(ids.values()), lastCallEnded);
        for (String model : calls.keySet()) {
            JsonNode r = records.get(ids.get(model));
            assertEquals(13, r.path("prompt_tokens").asLong(), r.toString());
            assertEquals(7, r.path("completion_tokens").asLong(), r.toString());
            assertEquals(2, r.path("reasoning_tokens").asLong(), r.toString());
            assertFalse(r.path("tokens_estimated").asBoolean(), r.toString());
            assertEquals("responses", r.path("api").asText());
        }
    }

    /**
     * Azure OpenAI (#15) through the official openai SDK: the AzureOpenAI client (deployment paths, api-version, the
     * proxy token in api-key) and a plain OpenAI client on /openai/v1. The mock answers only as Azure does (its key
     * in api-key and no bearer, api-version on deployment paths). Each call is recorded with the model the project
     * maps the deployment to, Azure's own usage and its cost; the content filter's 400 reaches the caller as Azure
     * sent it and is recorded; a deployment the project does not name, and one whose model the allowlist does not
     * allow, are refused before any upstream traffic.
     */
    @Test
    default void azureOpenAiThroughTheAzureClientIsRecordedWithTheDeploymentsModel() throws Exception {
        putMockPrices();
        Http.Response withOpenai = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("azure-path")
                + "\",\"provider\":\"azure-openai\",\"base_url\":\"" + mock().baseUrl() + "/openai\",\"api_key\":\"k\"}");
        assertEquals(400, withOpenai.status(), withOpenai.body());
        assertEquals("base_url", withOpenai.json().path("field").asText(), withOpenai.body());
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("usage-azure")
                + "\",\"provider\":\"azure-openai\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\""
                + MockProvider.AZURE_KEY + "\",\"allowed_models\":[\"gpt-mock\"],\"deployments\":{\"chat\":"
                + "\"gpt-mock\",\"filtered\":\"gpt-mock\",\"mini\":\"gpt-mini-mock\"}}");
        assertEquals(201, created.status(), created.body());
        assertEquals("gpt-mock", created.json().path("deployments").path("chat").asText(), created.body());
        int upstreamCallsBefore = mock().receivedOn("/openai/deployments/unnamed/chat/completions").size()
                + mock().receivedOn("/openai/deployments/mini/chat/completions").size();
        Issued issued = issue(created.json().path("id").asText(), "");

        JsonNode out = NodeSdk.run("azure-check.mjs", Map.of("AZURE_OPENAI_ENDPOINT", server().baseUrl(),
                "AZURE_OPENAI_API_KEY", issued.token()));
        long lastCallEnded = System.nanoTime();
        assertEquals("Hello from mock", out.path("text").asText(), out.toString());
        assertEquals("Hello from mock", out.path("v1text").asText(), out.toString());
        assertEquals("Hello from mock", out.path("v1responseText").asText(), out.toString());
        assertEquals("Hello from mock", out.path("streamText").asText(), out.toString());
        assertFalse(out.path("streamSawUsage").asBoolean(), "usage asked for on the caller's behalf stays hidden");
        JsonNode filtered = out.path("errors").path("filtered");
        assertEquals(400, filtered.path("status").asInt(), out.toString());
        assertEquals("content_filter", filtered.path("code").asText(), out.toString());
        for (String refused : List.of("unnamed", "mini")) {
            assertEquals(403, out.path("errors").path(refused).path("status").asInt(), out.toString());
            assertEquals("model_not_allowed", out.path("errors").path(refused).path("code").asText(), out.toString());
        }
        assertEquals(upstreamCallsBefore, mock().receivedOn("/openai/deployments/unnamed/chat/completions").size()
                + mock().receivedOn("/openai/deployments/mini/chat/completions").size(), "refused before upstream");
        MockProvider.Received sent = mock().receivedOn("/openai/deployments/chat/chat/completions").get(0);
        assertEquals(List.of(MockProvider.AZURE_KEY), sent.headers().get("Api-key"), "the project's key, not the token");

        Map<String, String> ids = new LinkedHashMap<>();
        out.path("ids").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        ids.put("filtered", filtered.path("id").asText());
        Map<String, JsonNode> records = awaitRecords(List.copyOf(ids.values()), lastCallEnded);
        assertRecord(records.get(ids.get("chat")), "gpt-mock", 12, 4, 2, 68L, false);
        assertRecord(records.get(ids.get("stream")), "gpt-mock", 12, 3, 0, 60L, true);
        assertRecord(records.get(ids.get("v1chat")), "gpt-mock", 12, 4, 2, 68L, false);
        assertRecord(records.get(ids.get("v1response")), "gpt-mock", 13, 7, 4, 98L, false);
        for (String id : List.of("chat", "stream", "v1chat")) {
            assertEquals("chat.completions", records.get(ids.get(id)).path("api").asText());
            assertEquals("azure-openai", records.get(ids.get(id)).path("provider").asText());
        }
        assertEquals("responses", records.get(ids.get("v1response")).path("api").asText());
        JsonNode filteredRecord = records.get(ids.get("filtered"));
        assertEquals(400, filteredRecord.path("status").asInt(), filteredRecord.toString());
        assertEquals("gpt-mock", filteredRecord.path("model").asText(), filteredRecord.toString());

        // the deployments change with PATCH; only a provider that names deployments takes them
        String projectId = created.json().path("id").asText();
        Http.Response patched = admin().patch("/manage/projects/" + projectId, "{\"deployments\":{\"chat\":\"gpt-mock\"}}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals(1, patched.json().path("deployments").size(), patched.body());
        Http.Response refused = admin().patch("/manage/projects/" + openAiProject("usage-azure-not"),
                "{\"deployments\":{\"chat\":\"gpt-mock\"}}");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("deployments"), refused.body());
    }

    /**
     * Google Gemini (#15) through Google's @google/genai SDK (base URL the proxy, the token as its key, so in
     * x-goog-api-key), fetch with the token in ?key=, and the openai SDK on Google's OpenAI-compatible API. The mock
     * answers only to the project's key in x-goog-api-key and refuses any ?key= (the token must not reach Google). Each
     * call is recorded with Gemini's usage (thoughts as reasoning output, cached content as cached input) and its cost;
     * countTokens is recorded without tokens; the proxy's refusals come in Google's error shape, Google's own relayed.
     */
    @Test
    default void geminiThroughGooglesSdkIsRecordedWithItsUsageMetadata() throws Exception {
        putPrice("gemini-mock", "{\"input_per_mtok_usd\":2,\"cached_input_per_mtok_usd\":0.5,\"output_per_mtok_usd\":10}");
        Http.Response versioned = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("gemini-path")
                + "\",\"provider\":\"gemini\",\"base_url\":\"" + mock().baseUrl() + "/v1beta\",\"api_key\":\"k\"}");
        assertEquals(400, versioned.status(), versioned.body());
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("usage-gemini")
                + "\",\"provider\":\"gemini\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\""
                + MockGemini.KEY + "\",\"allowed_models\":[\"gemini-mock\",\"gemini-missing\"]}");
        assertEquals(201, created.status(), created.body());
        Issued issued = issue(created.json().path("id").asText(), "");

        JsonNode out = NodeSdk.run("gemini-check.mjs", Map.of("GEMINI_ENDPOINT", server().baseUrl(),
                "GEMINI_API_KEY", issued.token()));
        long lastCallEnded = System.nanoTime();
        assertEquals("Hello from Gemini", out.path("text").asText(), out.toString());
        assertEquals("Hello from Gemini", out.path("streamText").asText(), out.toString());
        assertEquals(20, out.path("usage").path("thoughtsTokenCount").asInt(), "the provider's usage, unchanged");
        assertEquals(31, out.path("totalTokens").asInt(), out.toString());
        assertEquals("models/gemini-mock", out.path("modelName").asText(), out.toString());
        assertEquals(200, out.path("queryKey").path("status").asInt(), "?key= taken, not passed on: " + out);
        assertEquals(3, out.path("arrayStream").path("body").size(), out.toString());
        assertEquals("Hello from mock", out.path("openaiText").asText(), out.toString());
        assertEquals("Hello from mock", out.path("openaiStreamText").asText(), out.toString());
        JsonNode errors = out.path("errors");
        assertEquals(404, errors.path("missing").path("status").asInt(), out.toString());
        assertEquals("NOT_FOUND", errors.path("missing").path("body").path("error").path("status").asText(), "Google's own");
        for (String[] refusal : new String[][] {{"notAllowed", "403", "PERMISSION_DENIED", "model_not_allowed"},
                {"badToken", "401", "UNAUTHENTICATED", "token_invalid"}}) {
            JsonNode error = errors.path(refusal[0]);
            assertEquals(Integer.parseInt(refusal[1]), error.path("status").asInt(), out.toString());
            JsonNode google = error.path("body").path("error");
            assertEquals(Integer.parseInt(refusal[1]), google.path("code").asInt(), "Google's shape: " + out);
            assertEquals(refusal[2], google.path("status").asText(), out.toString());
            assertEquals(refusal[3], google.path("details").path(0).path("reason").asText(), out.toString());
        }
        for (String path : List.of("/v1/models/gemini-mock:generateContent", "/v1beta/models/gemini-mock:generateContent")) {
            MockProvider.Received sent = mock().receivedOn(path).get(0); // the SDK's (v1) and fetch's (v1beta)
            assertEquals(List.of(MockGemini.KEY), sent.headers().get("X-goog-api-key"), "the project's key, not the token");
        }

        Map<String, String> ids = new LinkedHashMap<>();
        out.path("ids").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        ids.put("missing", errors.path("missing").path("id").asText());
        Map<String, JsonNode> records = awaitRecords(List.copyOf(ids.values()), lastCallEnded);
        // 8 uncached x 2 + 3 cached x 0.5 + (4 + 20 thoughts) x 10 = 257.5, half up
        for (String whole : List.of("generate", "queryKey")) {
            JsonNode r = records.get(ids.get(whole));
            assertRecord(r, "gemini-mock", 11, 24, 3, 258L, false);
            assertEquals(20, r.path("reasoning_tokens").asLong(), r.toString());
            assertEquals("models.generateContent", r.path("api").asText(), r.toString());
            assertEquals("gemini", r.path("provider").asText(), r.toString());
        }
        // the last chunk's usage: 9 x 2 + 2 x 0.5 + 3 x 10 = 49
        for (String stream : List.of("stream", "arrayStream")) {
            assertRecord(records.get(ids.get(stream)), "gemini-mock", 11, 3, 2, 49L, stream.equals("stream"));
            assertEquals("models.streamGenerateContent", records.get(ids.get(stream)).path("api").asText());
        }
        assertRecord(records.get(ids.get("count")), "gemini-mock", 0, 0, 0, 0L, false); // counting is free
        assertEquals("models.countTokens", records.get(ids.get("count")).path("api").asText());
        assertEquals("models", records.get(ids.get("model")).path("api").asText());
        // the OpenAI mock's usage, priced as gemini-mock: 10 x 2 + 2 x 0.5 + 4 x 10 = 61; 12 x 2 + 3 x 10 = 54
        assertRecord(records.get(ids.get("openaiChat")), "gemini-mock", 12, 4, 2, 61L, false);
        assertRecord(records.get(ids.get("openaiStream")), "gemini-mock", 12, 3, 0, 54L, true);
        assertEquals("chat.completions", records.get(ids.get("openaiChat")).path("api").asText());
        assertEquals(404, records.get(ids.get("missing")).path("status").asInt());
    }

    /**
     * Amazon Bedrock (#15) through AWS's @aws-sdk/client-bedrock-runtime (endpoint the proxy, the proxy token as a
     * Bedrock API key): the mock verifies every request's SigV4 signature with the project's secret (a bad one gets
     * AWS's 403), so each call that succeeds was signed by the proxy over the bytes it sent, and never carries the
     * token. Converse, ConverseStream (an AWS event stream, CRCs and all, relayed as it came), InvokeModel and
     * InvokeModelWithResponseStream with Claude's body are each recorded once with Bedrock's token counts (cache reads
     * and writes as such), a cost and the API; InvokeModel with Meta Llama's and Mistral's bodies (the latter with no
     * counts of its own) with the counts of Bedrock's {@code X-Amzn-Bedrock-*-Token-Count} headers, which reach the
     * SDK unchanged (review i15: their output went uncounted); the proxy's refusals are the SDK's typed exceptions (a model not
     * allowed: AccessDeniedException; a bad token or the caller's own SigV4 signature: UnrecognizedClientException,
     * the latter saying to use the token as a Bedrock API key; a rate limit: ThrottlingException), Bedrock's own
     * relayed (ResourceNotFoundException).
     */
    @Test
    default void bedrockThroughAwsSdkIsSignedByTheProxyAndRecordedWithItsUsage() throws Exception {
        String model = "anthropic.claude-3-haiku-20240307-v1:0";
        putPrice(model, "{\"input_per_mtok_usd\":2,\"cached_input_per_mtok_usd\":0.5,"
                + "\"cache_write_per_mtok_usd\":3,\"output_per_mtok_usd\":10}");
        String llama = "meta.llama3-1-70b-instruct-v1:0";
        String mistral = "mistral.mistral-large-2407-v1:0";
        putPrice(llama, "{\"input_per_mtok_usd\":2,\"output_per_mtok_usd\":10}");
        putPrice(mistral, "{\"input_per_mtok_usd\":4,\"output_per_mtok_usd\":12}");
        Http.Response badKey = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("bedrock-key")
                + "\",\"provider\":\"bedrock\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\"not-aws:"
                + "s3cr3t-value\"}");
        assertEquals(400, badKey.status(), badKey.body());
        assertFalse(badKey.body().contains("s3cr3t-value"), "a key is never echoed: " + badKey.body());
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("usage-bedrock")
                + "\",\"provider\":\"bedrock\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\""
                + MockBedrock.KEY + "\",\"allowed_models\":[\"" + model + "\",\"" + llama + "\",\"" + mistral
                + "\",\"mock-bedrock-missing\","
                + "\"mock-bedrock-stall\"]}");
        assertEquals(201, created.status(), created.body());
        String project = created.json().path("id").asText();
        Issued issued = issue(project, "");
        String limited = token(project, ",\"rpm_limit\":1");

        JsonNode out = NodeSdk.run("bedrock-check.mjs", Map.of("BEDROCK_ENDPOINT", server().baseUrl(),
                "AWS_BEARER_TOKEN_BEDROCK", issued.token(), "BEDROCK_MODEL", model,
                "BEDROCK_LIMITED_TOKEN", limited, "BEDROCK_LLAMA_MODEL", llama, "BEDROCK_MISTRAL_MODEL", mistral));
        long lastCallEnded = System.nanoTime();
        assertEquals("Hello from Bedrock", out.path("text").asText(), out.toString());
        assertEquals(27, out.path("usage").path("totalTokens").asInt(), "Bedrock's usage, unchanged: " + out);
        assertEquals("Hello from Bedrock", out.path("streamText").asText(), out.toString());
        assertEquals(15, out.path("streamUsage").path("totalTokens").asInt(), out.toString());
        assertEquals("Hello from Claude on Bedrock", out.path("invokeText").asText(), out.toString());
        assertEquals("Hello from Claude", out.path("invokeStreamText").asText(), out.toString());
        assertEquals("Hello from Llama on Bedrock", out.path("llama").path("answer").path("generation").asText(),
                out.toString());
        assertEquals("Hello from Mistral on Bedrock", out.path("mistral").path("answer").path("outputs").path(0)
                .path("text").asText(), out.toString());
        assertEquals(String.valueOf(MockBedrock.MISTRAL_COUNTS[1]), out.path("mistral").path("outputTokens").asText(),
                "Bedrock's headers, relayed: " + out);
        assertEquals(7, out.path("invocationMetrics").path("outputTokenCount").asInt(), out.toString());
        assertEquals("Hello from Claude on Bedrock", out.path("anthropicText").asText(), "AnthropicBedrock: " + out);
        assertEquals("Hello from Claude", out.path("anthropicStreamText").asText(), out.toString());
        JsonNode errors = out.path("errors");
        assertEquals(200, errors.path("explicitToken").path("status").asInt(), "token: { token }: " + out);
        for (String[] refusal : new String[][] {{"notAllowed", "403", "AccessDeniedException"},
                {"missing", "404", "ResourceNotFoundException"}, {"badToken", "401", "UnrecognizedClientException"},
                {"sigv4", "401", "UnrecognizedClientException"}, {"throttled", "429", "ThrottlingException"}}) {
            JsonNode error = errors.path(refusal[0]);
            assertEquals(Integer.parseInt(refusal[1]), error.path("status").asInt(), refusal[0] + ": " + out);
            assertEquals(refusal[2], error.path("name").asText(), refusal[0] + ": " + out);
        }
        assertTrue(errors.path("sigv4").path("message").asText().contains("Bedrock API key"), out.toString());
        // the provider fell silent mid-stream: the proxy's exception message, raised by the SDK while reading
        assertEquals("Hello", out.path("stalled").path("text").asText(), out.toString());
        assertEquals("ModelTimeoutException", out.path("stalled").path("name").asText(), out.toString());
        assertTrue(errors.path("notAllowed").path("message").asText().contains("not allowed"), out.toString());

        String converse = "/model/" + model + "/converse";
        List<MockProvider.Received> signed = new ArrayList<>(mock().receivedOn(converse));
        signed.addAll(mock().receivedOn("/model/" + model + "/invoke-with-response-stream"));
        assertEquals(3, mock().receivedOn(converse).size(), "converse, with the explicit token, the limited's first");
        for (MockProvider.Received sent : signed) {
            String authorization = sent.header("Authorization");
            assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + MockBedrock.ACCESS_KEY_ID + "/"),
                    "signed by the proxy with the project's key: " + authorization);
            assertFalse(sent.headers().toString().contains(issued.token()), "the token never reaches AWS");
        }
        assertEquals(0, mock().receivedOn("/model/meta.llama3-8b-instruct-v1:0/converse").size(), "refused first");

        Map<String, String> ids = new LinkedHashMap<>();
        out.path("ids").fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asText()));
        ids.put("explicitToken", errors.path("explicitToken").path("id").asText());
        ids.put("notAllowed", errors.path("notAllowed").path("id").asText());
        Map<String, JsonNode> records = awaitRecords(List.copyOf(ids.values()), lastCallEnded);
        // 12 uncached x 2 + 6 read x 0.5 + 4 written x 3 + 5 x 10 = 89
        for (String whole : List.of("converse", "explicitToken")) {
            assertRecord(records.get(ids.get(whole)), model, 22, 5, 6, 89L, false);
            assertEquals("converse", records.get(ids.get(whole)).path("api").asText());
            assertEquals("bedrock", records.get(ids.get(whole)).path("provider").asText());
        }
        assertRecord(records.get(ids.get("converseStream")), model, 12, 3, 0, 54L, true); // 24 + 30
        assertEquals("converse-stream", records.get(ids.get("converseStream")).path("api").asText());
        for (String[] invoke : new String[][] {{"invoke", "anthropicInvoke"}, {"invokeStream", "anthropicStream"}}) {
            for (String call : invoke) {
                boolean streamed = invoke[0].equals("invokeStream");
                JsonNode r = records.get(ids.get(call));
                // 14 x 2 + 2 read x 0.5 + 6 x 10 = 89; streamed: 14 x 2 + 7 x 10 = 98
                assertRecord(r, model, streamed ? 14 : 16, streamed ? 7 : 6, streamed ? 0 : 2, streamed ? 98L : 89L,
                        streamed);
                assertEquals(streamed ? "invoke-with-response-stream" : "invoke", r.path("api").asText());
            }
        }
        // the headers' counts: 18 x 2 + 7 x 10 = 106; 21 x 4 + 9 x 12 = 192
        assertRecord(records.get(ids.get("llama")), llama, MockBedrock.LLAMA_COUNTS[0], MockBedrock.LLAMA_COUNTS[1], 0,
                106L, false);
        assertRecord(records.get(ids.get("mistral")), mistral, MockBedrock.MISTRAL_COUNTS[0],
                MockBedrock.MISTRAL_COUNTS[1], 0, 192L, false);
        assertEquals("invoke", records.get(ids.get("mistral")).path("api").asText());
        assertEquals(403, records.get(ids.get("notAllowed")).path("status").asInt());
        assertEquals("model_not_allowed", records.get(ids.get("notAllowed")).path("error_code").asText());
        assertEquals("upstream_timeout", records.get(ids.get("stalled")).path("error_code").asText(),
                records.get(ids.get("stalled")).toString());
    }

    /**
     * Hostile model segments on Bedrock's paths (a space, an encoded slash or dot-dot, a zero-width character, a NUL,
     * an extra segment, an unknown operation): refused before anything goes upstream, in AWS's shape
     * (x-amzn-ErrorType and a JSON message), never a container error page; an encoded slash or NUL, which Tomcat's
     * connector refuses before the application, gets the container's plain JSON 400.
     */
    @Test
    default void bedrockRefusesHostileModelSegmentsInAwsShape() throws Exception {
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("bedrock-hostile")
                + "\",\"provider\":\"bedrock\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\""
                + MockBedrock.KEY + "\"}");
        assertEquals(201, created.status(), created.body());
        String token = token(created.json().path("id").asText(), "");
        int before = mock().received.size();
        // an encoded slash or NUL is refused by Tomcat's connector before any application sees it (400 from the host's
        // JSON error report valve, server-config/tomcat): not in AWS's shape, but no page, no trace, nothing sent
        for (String path : List.of("/model/..%2F..%2Fmanage%2Fprojects/converse", "/model/a%00b/converse")) {
            HttpResponse<String> refused = call(request(token, path).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertTrue(refused.statusCode() == 400 || refused.statusCode() == 404, path + ": " + refused.statusCode());
            assertFalse(refused.body().contains("Exception") || refused.body().contains("<html"), refused.body());
        }
        for (String path : List.of("/model/a%20b/converse", "/model/%E2%80%8Bx/converse",
                "/model/m/converse/extra", "/model//converse", "/model/m/delete-everything", "/model/a..b%3B/invoke")) {
            HttpResponse<String> r = call(request(token, path).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")));
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, path + ": " + r.statusCode() + " " + r.body());
            assertTrue(r.headers().firstValue("x-amzn-ErrorType").isPresent(), path + ": " + r.headers().map());
            assertTrue(r.body().startsWith("{\"message\":"), path + ": " + r.body());
        }
        assertEquals(before, mock().received.size(), "nothing reached Bedrock");
    }

    /**
     * A Bedrock project whose key is {@code aws-default-chain}: its requests are signed with the credentials the
     * container's JVM finds through the AWS default chain (here the {@code aws.accessKeyId}/{@code aws.secretAccessKey}
     * system properties every test container gets), which the mock checks as it checks any signature.
     */
    @Test
    default void bedrockWithTheDefaultChainSignsWithTheContainersOwnCredentials() throws Exception {
        String model = "amazon.nova-micro-v1:0";
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("bedrock-chain")
                + "\",\"provider\":\"bedrock\",\"base_url\":\"" + mock().baseUrl()
                + "\",\"api_key\":\"aws-default-chain\"}");
        assertEquals(201, created.status(), created.body());
        String token = token(created.json().path("id").asText(), "");
        HttpResponse<String> answer = call(request(token, "/model/" + model + "/converse")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}")));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Hello from Bedrock"), answer.body());
        MockProvider.Received sent = mock().receivedOn("/model/" + model + "/converse").get(0);
        assertTrue(sent.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential="
                + MockBedrock.CHAIN_ACCESS_KEY_ID + "/"), sent.header("Authorization"));
        JsonNode r = awaitRecords(List.of(id(answer)), System.nanoTime()).get(id(answer));
        assertEquals(22, r.path("prompt_tokens").asLong(), r.toString());
        // the default table's Nova Micro: 12 x 0.035 + 6 read x 0.00875 + 4 written x 0.035 + 5 x 0.14 = 1.3125
        assertEquals(1, r.path("cost_micros").asLong(), r.toString());
        assertFalse(r.path("price_missing").asBoolean(), r.toString());
    }

    @Test
    default void withoutProviderUsageTokensAreEstimatedAndUnknownModelsGetNoPrice() throws Exception {
        String usageToken = token(openAiProject("usage-estimated"), "");
        HttpResponse<String> plain = call(chat(usageToken, "mock-nousage", false));
        HttpResponse<String> stream = call(chat(usageToken, "mock-nousage", true));
        HttpResponse<String> refused = call(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer lpt_unknown"));
        String refusedId = refused.headers().firstValue(REQUEST_ID).orElseThrow();
        Map<String, JsonNode> records = awaitRecords(List.of(id(plain), id(stream)), System.nanoTime());
        for (JsonNode r : records.values()) {
            assertTrue(r.path("tokens_estimated").asBoolean(), r.toString());
            assertTrue(r.path("prompt_tokens").asLong() > 0 && r.path("completion_tokens").asLong() > 0, r.toString());
            assertTrue(r.path("cost_micros").isNull(), "no made-up price: " + r);
            assertTrue(r.path("price_missing").asBoolean());
        }
        awaitCount("SELECT COUNT(*) FROM request_records WHERE request_id = '" + refusedId + "' AND status = 401"
                + " AND error_code = 'token_invalid' AND project_id IS NULL", 1);
    }

    @Test
    default void reportsTotalTheRecordsPerModelAndDay() throws Exception {
        putMockPrices();
        Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + openAiProject("usage-reports")
                + "\",\"duration_minutes\":60}");
        String usageToken = issued.json().path("token").asText();
        String usageTokenId = issued.json().path("id").asText();
        Map<String, HttpResponse<String>> calls = openAiCalls(usageToken);
        calls.put("plainWithoutUsage", call(chat(usageToken, "mock-nousage", false)));
        calls.put("streamWithoutUsage", call(chat(usageToken, "mock-nousage", true)));
        awaitRecords(List.copyOf(ids(calls).values()), System.nanoTime());

        JsonNode total = admin().get("/manage/usage?token_id=" + usageTokenId).json().path("total");
        // chat 12/4, stream 12/3, stream with usage 12/3, embedding 3/0, and the two estimated mock-nousage calls
        JsonNode byModel = admin().get("/manage/usage?token_id=" + usageTokenId + "&group_by=model").json();
        Map<String, JsonNode> groups = new HashMap<>();
        byModel.path("groups").forEach(g -> groups.put(g.path("model").asText(), g));
        assertEquals(3, groups.get("gpt-mock").path("requests").asLong());
        assertEquals(36, groups.get("gpt-mock").path("prompt_tokens").asLong());
        assertEquals(10, groups.get("gpt-mock").path("completion_tokens").asLong());
        assertEquals(188, groups.get("gpt-mock").path("cost_micros").asLong(), "68 + 60 + 60");
        assertEquals("0.000188", groups.get("gpt-mock").path("cost_usd").asText());
        assertEquals(2, groups.get("mock-nousage").path("unpriced_requests").asLong());
        assertEquals(6, total.path("requests").asLong());
        assertEquals(188, total.path("cost_micros").asLong());

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        JsonNode byDay = admin().get("/manage/usage?token_id=" + usageTokenId + "&group_by=day&from=" + yesterday).json();
        assertEquals(1, byDay.path("groups").size());
        assertEquals(today, byDay.path("groups").get(0).path("day").asText());
        assertEquals(6, byDay.path("groups").get(0).path("requests").asLong());

        JsonNode page = admin().get("/manage/usage/requests?token_id=" + usageTokenId + "&page_size=2").json();
        assertEquals(6, page.path("total").asLong());
        assertEquals(2, page.path("items").size());
        assertEquals("group_by", admin().get("/manage/usage?group_by=week").json().path("field").asText());

        JsonNode prices = admin().get("/manage/prices").json().path("items");
        boolean sawAdmin = false;
        boolean sawDefault = false;
        for (JsonNode p : prices) {
            sawAdmin |= p.path("model").asText().equals("gpt-mock") && p.path("source").asText().startsWith("admin");
            sawDefault |= p.path("model").asText().equals("gpt-4o") && p.path("source").asText().startsWith("default");
        }
        assertTrue(sawAdmin && sawDefault, prices.toString());
    }

    @Test
    default void auditTrailRecordsAdminActionsAndDetectsTampering() throws Exception {
        openAiProject("audited");
        anthropicProject("audited-anthropic");
        JsonNode created = admin().get("/manage/audit?action=project.created").json();
        assertTrue(created.path("total").asLong() >= 2, created.toString());
        JsonNode event = created.path("items").get(0);
        assertTrue(event.path("actor").asText().startsWith("management-token:"));
        assertEquals("127.0.0.1", event.path("client_ip").asText());
        assertFalse(created.toString().contains(MockProvider.OPENAI_KEY), "no secret in the audit trail");

        long before = afterPendingRefusals();
        for (int i = 0; i < 5; i++) {
            call(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models"))); // no token at all
        }
        admin().withBearer("wrong-management-token").get("/manage/projects");
        List<JsonNode> rejected = awaitAttempts("proxy.token_rejected", "token_missing", before, 5);
        assertTrue(rejected.size() <= 2, "five refusals are grouped (at most split by one window edge): " + rejected);
        awaitAttempts("management.auth_failed", "invalid", before, 1);

        JsonNode verified = admin().get("/manage/audit/verify").json();
        assertTrue(verified.path("valid").asBoolean(), verified.toString());
        assertTrue(verified.path("checked").asLong() >= 5);

        long target = event.path("id").asLong();
        String original;
        try (Connection c = db().connect(); PreparedStatement s = c.prepareStatement(
                "SELECT details FROM audit_events WHERE id = ?")) {
            s.setLong(1, target);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                original = rs.getString(1);
            }
        }
        updateDetails(target, "{\"name\":\"someone-else\"}");
        try {
            JsonNode broken = admin().get("/manage/audit/verify").json();
            assertFalse(broken.path("valid").asBoolean(), broken.toString());
            assertEquals(target, broken.path("first_broken_id").asLong());
        } finally {
            updateDetails(target, original);
        }
        assertTrue(admin().get("/manage/audit/verify").json().path("valid").asBoolean());
    }

    @Test
    default void everyAdmittedCallIsRecordedAlsoAcrossAnUndeploy() throws Exception {
        Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + openAiProject("undeploy")
                + "\",\"duration_minutes\":60}");
        String token = issued.json().path("token").asText();
        String tokenId = issued.json().path("id").asText();
        AtomicBoolean undeployed = new AtomicBoolean();
        ConcurrentLinkedQueue<String> admitted = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        boolean wasUndeployed = false;
        try {
            for (int i = 0; i < 6; i++) {
                running.add(clients.submit(() -> {
                    while (!undeployed.get() && System.nanoTime() < deadline) {
                        try {
                            HttpResponse<String> r = call(chat(token, "mock-delay", false));
                            r.headers().firstValue(REQUEST_ID).ifPresent(id -> {
                                assertEquals(200, r.statusCode(), "an admitted call completes during undeploy: " + r.body());
                                admitted.add(id);
                            });
                        } catch (Exception e) {
                            // the connection was refused or cut once the application was gone
                        }
                    }
                    return null;
                }));
            }
            // Each client has had an answer (the mock takes 1.5 s) and is in its next call: undeploy now.
            Poll.until(Duration.ofSeconds(30), "every client answered once before the undeploy",
                    () -> admitted.size() >= 6);
            server().undeploy();
            wasUndeployed = true;
            undeployed.set(true);
            for (Future<?> client : running) {
                Contract.join(client, Duration.ofSeconds(90)); // an assertion that failed in a client fails the test here
            }
            assertTrue(admitted.size() >= 6, "calls were made before and during the undeploy: " + admitted.size());
            assertEquals(admitted.size(), db().count("SELECT COUNT(*) FROM request_records WHERE token_id = '"
                    + tokenId + "'"), "every admitted call has its record, none more");
        } finally {
            undeployed.set(true);
            clients.shutdownNow();
            if (wasUndeployed) {
                server().redeploy(); // the next test finds the application deployed, whatever failed here
            }
        }
        assertEquals(200, admin().get("/health/ready").status());
    }

    private void putMockPrices() {
        putPrice("gpt-mock", "{\"input_per_mtok_usd\":2.5,\"cached_input_per_mtok_usd\":1.25,\"output_per_mtok_usd\":10}");
        putPrice("claude-mock", "{\"input_per_mtok_usd\":3,\"cached_input_per_mtok_usd\":0.3,"
                + "\"cache_write_per_mtok_usd\":3.75,\"output_per_mtok_usd\":15}");
        putPrice("text-embedding-mock", "{\"input_per_mtok_usd\":0.02,\"output_per_mtok_usd\":0}");
    }

    /** A chat, a stream, a stream asking for usage and an embedding, each answered 200, by name. */
    private Map<String, HttpResponse<String>> openAiCalls(String token) throws Exception {
        Map<String, HttpResponse<String>> calls = new LinkedHashMap<>();
        calls.put("chat", call(chat(token, "gpt-mock", false)));
        calls.put("stream", call(chat(token, "gpt-mock", true)));
        calls.put("streamWithUsage", call(post(token, "/v1/chat/completions", ("{\"model\":\"gpt-mock\","
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8))));
        calls.put("embedding", call(post(token, "/v1/embeddings",
                "{\"model\":\"text-embedding-mock\",\"input\":\"hello\",\"encoding_format\":\"float\"}".getBytes())));
        return calls;
    }

    /** The record id of each call, which must have been answered 200. */
    private static Map<String, String> ids(Map<String, HttpResponse<String>> calls) {
        Map<String, String> ids = new LinkedHashMap<>();
        calls.forEach((name, response) -> {
            assertEquals(200, response.statusCode(), name + ": " + response.body());
            ids.put(name, id(response));
        });
        return ids;
    }

    private void updateDetails(long id, String details) throws Exception {
        try (Connection c = db().connect(); PreparedStatement s = c.prepareStatement(
                "UPDATE audit_events SET details = ? WHERE id = ?")) {
            s.setString(1, details);
            s.setLong(2, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    /**
     * Refused tokens and logins are audited by a background pass once per security-event window, counted per
     * action, client and reason, so an earlier test's refusals may still wait to be written and would add to this
     * test's counts. Three refusals of an unknown token in a row, each waited for until audited: the pass that audits
     * the second began after this test did (after the pass that audited the first), so it wrote whatever was
     * waiting; the third refusal's event comes after that whole pass. Returns its id: after it, only this test's
     * refusals come.
     */
    private long afterPendingRefusals() throws Exception {
        long after = admin().get("/manage/audit?page_size=1").json().path("items").get(0).path("id").asLong();
        for (int pass = 0; pass < 3; pass++) {
            call(get("lpt_audit-clock", "/v1/models"));
            after = lastEvent("proxy.token_rejected", "token_invalid", after);
        }
        return after;
    }

    /** Waits for an event of {@code action} for {@code reason} after {@code afterId}; returns the latest one's id. */
    private long lastEvent(String action, String reason, long afterId) throws Exception {
        List<JsonNode> events = Poll.until(Duration.ofSeconds(10), action + "/" + reason + " audited",
                () -> events(action, reason, afterId), found -> !found.isEmpty());
        return events.get(0).path("id").asLong();
    }

    /** Events of {@code action} for {@code reason} after {@code afterId}, newest first. */
    private List<JsonNode> events(String action, String reason, long afterId) {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode e : admin().get("/manage/audit?action=" + action).json().path("items")) {
            if (e.path("id").asLong() > afterId && e.path("details").path("reason").asText().equals(reason)) {
                events.add(e);
            }
        }
        return events;
    }

    /** Waits until events of {@code action} for {@code reason} after {@code afterId} count {@code attempts} in all. */
    private List<JsonNode> awaitAttempts(String action, String reason, long afterId, long attempts) throws Exception {
        List<JsonNode> events = Poll.until(Duration.ofSeconds(10), action + "/" + reason + ": " + attempts
                + " attempts audited", () -> events(action, reason, afterId), found -> attempts(found) >= attempts);
        assertEquals(attempts, attempts(events), events.toString());
        assertEquals("denied", events.get(0).path("outcome").asText());
        return events;
    }

    private static long attempts(List<JsonNode> events) {
        return events.stream().mapToLong(e -> e.path("details").path("attempts").asLong()).sum();
    }

    /** Polls the report API until every id is there; a record must appear within 2 s of its call. */
    default Map<String, JsonNode> awaitRecords(List<String> ids, long lastCallEnded) throws Exception {
        Duration left = Duration.ofSeconds(2).minusNanos(System.nanoTime() - lastCallEnded);
        Map<String, JsonNode> found = Poll.until(left, "records " + ids + " visible within 2 s of the call", () -> {
            Map<String, JsonNode> listed = new HashMap<>();
            admin().get("/manage/usage/requests?page_size=500").json().path("items")
                    .forEach(r -> listed.put(r.path("request_id").asText(), r));
            return listed;
        }, listed -> listed.keySet().containsAll(ids));
        found.keySet().retainAll(ids);
        long tookMs = Duration.ofNanos(System.nanoTime() - lastCallEnded).toMillis();
        System.out.printf("[timing] %s on %s: records visible %d ms after the call%n", server().name(), db().kind(), tookMs);
        assertTrue(tookMs <= 2_000, "records visible within 2 s, took " + tookMs + " ms");
        return found;
    }

    static void assertRecord(JsonNode r, String model, long prompt, long completion, long cached, Long cost,
                                     boolean streamed) {
        assertEquals(model, r.path("model").asText(), r.toString());
        assertEquals(prompt, r.path("prompt_tokens").asLong(), r.toString());
        assertEquals(completion, r.path("completion_tokens").asLong(), r.toString());
        assertEquals(cached, r.path("cached_tokens").asLong(), r.toString());
        assertEquals(prompt + completion, r.path("total_tokens").asLong());
        assertEquals(cost.longValue(), r.path("cost_micros").asLong(), r.toString());
        assertEquals(streamed, r.path("streamed").asBoolean());
        assertEquals(200, r.path("status").asInt());
        assertFalse(r.path("tokens_estimated").asBoolean(), r.toString());
        assertFalse(r.path("price_missing").asBoolean());
        assertTrue(r.path("ttfb_ms").isInt() && r.path("duration_ms").asInt() >= r.path("ttfb_ms").asInt());
    }

    private void putPrice(String model, String body) {
        Http.Response r = admin().put("/manage/prices/" + model, body);
        assertEquals(200, r.status(), r.body());
    }

    private static String id(HttpResponse<String> response) {
        return response.headers().firstValue(REQUEST_ID).orElseThrow();
    }

    private HttpRequest.Builder anthropic(String token, boolean stream) {
        return request(token, "/v1/messages").header("content-type", "application/json").POST(
                HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-mock\",\"max_tokens\":64,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    private static List<String> dataEvents(String body) {
        return body.lines().filter(l -> l.startsWith("data: ")).toList();
    }
}
