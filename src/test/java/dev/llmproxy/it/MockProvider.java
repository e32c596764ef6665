package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A provider speaking enough of OpenAI's and Anthropic's APIs for the official SDKs, on 127.0.0.1. It answers only
 * to the right provider key (401 otherwise), records every request it receives, and misbehaves on request by model
 * name: {@code mock-gate} sends one SSE event and waits for {@link #gate}; {@code mock-endless} streams until the
 * connection breaks (on {@code /v1/messages} too); {@code mock-500} fails; {@code mock-slow} answers after 8 s;
 * {@code mock-stall} sends one event and then nothing for 8 s. The Responses API ({@code /v1/responses}) streams as
 * OpenAI documents it (https://platform.openai.com/docs/api-reference/responses-streaming); there {@code
 * mock-incomplete} ends with {@code response.incomplete} and {@code mock-failed} with {@code response.failed}. Under {@code /u/<label>/v1/...} it plays a separate upstream that may misbehave
 * by label (see {@link #misbehaves}). Azure OpenAI's paths ({@code /openai/…}) answer as Azure does, Gemini's
 * ({@code /v1beta/…}) as Google does ({@link MockGemini}), Vertex AI's ({@code /v1/projects/…}, {@code /v1beta1/…}) as
 * Vertex does ({@link MockVertex}), Bedrock's ({@code /model/…}) as AWS does ({@link MockBedrock}).
 */
final class MockProvider implements AutoCloseable {
    static final String OPENAI_KEY = "sk-mock-openai-key-0001";
    static final String ANTHROPIC_KEY = "sk-ant-mock-anthropic-key-0002";
    static final String AZURE_KEY = "azure-mock-resource-key-0003";
    /** Azure's deployment paths: {@code /openai/deployments/{deployment}/chat/completions} and the like. */
    private static final java.util.regex.Pattern AZURE_DEPLOYMENT =
            java.util.regex.Pattern.compile("^/openai/deployments/([^/]+)(/.*)$");
    /**
     * What Azure answers when its content filter stops a prompt (400, OpenAI's shape with {@code code}
     * {@code content_filter} and Azure's {@code innererror}), as in
     * https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter.
     */
    static final String AZURE_CONTENT_FILTERED = "{\"error\":{\"message\":\"The response was filtered due to the"
            + " prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.\","
            + "\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{"
            + "\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{\"hate\":{\"filtered\":true,"
            + "\"severity\":\"high\"},\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{"
            + "\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}}}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as the provider saw it; {@code query} raw, null when there was none. */
    record Received(String method, String path, Map<String, List<String>> headers, String body, String query) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Vertex AI and its service accounts' token endpoint. */
    final MockVertex vertex = new MockVertex(this);
    /** Microsoft Entra ID as the mock plays it: its token endpoint under {@link #ENTRA_PATH} (see {@link #entra}). */
    static final String ENTRA_PATH = "/entra";
    /** The access tokens the mock's Entra ID issued and Azure takes; {@link #revokeEntraTokens} empties it. */
    private final java.util.Set<String> entraTokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger entraIssued = new java.util.concurrent.atomic.AtomicInteger();
    /** The content of the {@code bigevent} upstream's first event: more than the proxy's 1 MiB bound. */
    static final int BIG_EVENT_CHARS = 1_500_000;
    volatile CountDownLatch gate = new CountDownLatch(1);
    volatile boolean gateTimedOut;
    volatile CountDownLatch endlessBroken = new CountDownLatch(1);
    /** System.nanoTime() when a {@code mock-endless} stream's write failed: the proxy had closed the connection. */
    volatile long endlessBrokenNanos;
    /** The size of the {@code huge} upstream's answer: far more than any completion. */
    static final int HUGE_BODY_BYTES = 48 << 20;
    /** Whether upstreams labelled {@code flaky*} fail. */
    volatile boolean flaky;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    MockProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> receivedOn(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] bytes = ex.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String fullPath = ex.getRequestURI().getPath();
            received.add(new Received(ex.getRequestMethod(), fullPath, Map.copyOf(ex.getRequestHeaders()), body,
                    ex.getRequestURI().getRawQuery()));
            String label = null;
            String path = fullPath;
            if (fullPath.startsWith("/u/")) { // an upstream of its own: /u/<label>/v1/...
                int slash = fullPath.indexOf('/', 3);
                label = fullPath.substring(3, slash);
                path = fullPath.substring(slash);
            }
            if (path.startsWith(ENTRA_PATH + "/")) {
                entra(ex, path, body);
                return;
            }
            if (MockVertex.serves(path)) {
                vertex.handle(ex, path, body);
                return;
            }
            if (MockBedrock.serves(path)) {
                MockBedrock.handle(ex, path, bytes); // signed over the exact bytes
                return;
            }
            JsonNode request = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            if (path.startsWith("/openai/")) {
                azure(ex, path, request);
                return;
            }
            if (MockGemini.serves(ex, path)) {
                MockGemini.handle(this, ex, path, request);
                return;
            }
            boolean anthropic = path.equals("/v1/messages");
            if (!authorised(ex, anthropic)) {
                json(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_api_key\"}}");
                return;
            }
            String model = request.path("model").asText("");
            if (label != null && misbehaves(ex, label, model)) {
                return;
            }
            switch (model) {
                case "mock-500" -> json(ex, 500, "{\"error\":{\"message\":\"mock failure\",\"type\":\"server_error\"}}");
                case "mock-slow" -> {
                    sleep(8_000);
                    json(ex, 200, "{}");
                }
                case "mock-delay" -> {
                    sleep(1_500);
                    route(ex, path, request, model);
                }
                default -> route(ex, path, request, model);
            }
        } catch (IOException e) {
            // the proxy went away; expected in cancellation tests
        }
    }

    /**
     * What an upstream labelled {@code fail500*}, {@code fail503*}, {@code fail529*} (Anthropic's overloaded),
     * {@code malformed*} (a 200 whose JSON body is broken), {@code huge*} ({@link #HUGE_BODY_BYTES} of JSON),
     * {@code fail429*} (with {@code Retry-After: 1}), {@code flaky*}
     * (503 while {@link #flaky} is set), {@code stall*} (one SSE event, then silence), {@code leaky*} (headers that
     * must not reach the caller), {@code crsse*} (a stream with CR line endings) or {@code bigevent*} (an event
     * over the proxy's bound) does instead of answering normally.
     */
    private boolean misbehaves(HttpExchange ex, String label, String model) throws IOException {
        if (label.startsWith("fail500")) {
            json(ex, 500, "{\"error\":{\"message\":\"upstream " + label + " failed\",\"type\":\"server_error\"}}");
        } else if (label.startsWith("fail503")) {
            json(ex, 503, "{\"error\":{\"message\":\"The engine is currently overloaded\",\"type\":\"server_error\"}}");
        } else if (label.startsWith("fail529")) {
            json(ex, 529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        } else if (label.startsWith("malformed")) {
            json(ex, 200, "{\"id\":\"chatcmpl-malformed\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"unterminated");
        } else if (label.startsWith("huge")) {
            huge(ex, model);
        } else if (label.startsWith("fail429")) {
            ex.getResponseHeaders().set("Retry-After", "1");
            json(ex, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}");
        } else if (label.startsWith("flaky") && flaky) {
            json(ex, 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        } else if (label.startsWith("leaky")) {
            // what a provider (or a proxy in front of it) may add that must not reach the caller (#13)
            var h = ex.getResponseHeaders();
            h.set("openai-organization", "org-key-owner-secret");
            h.set("openai-project", "proj_key_owner");
            h.set("anthropic-organization-id", "0a1b2c3d-key-owner");
            h.set("Access-Control-Allow-Origin", "*");
            h.set("Access-Control-Expose-Headers", "x-internal");
            h.set("Connection", "X-Backend-Node");
            h.set("X-Backend-Node", "llm-node-7.internal");
            h.set("x-request-id", "req_leaky");
            json(ex, 200, "{\"id\":\"chatcmpl-leaky\",\"object\":\"chat.completion\",\"model\":\"" + model
                    + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}");
        } else if (label.startsWith("crsse")) {
            // a stream whose lines end with CR alone, as the SSE spec allows, with the provider's usage at the end
            OutputStream out = sse(ex);
            String head = "{\"id\":\"chatcmpl-cr\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                    + "\",\"choices\":";
            for (String data : new String[] {head + "[{\"index\":0,\"delta\":{\"content\":\"carriage\"}}]}",
                    head + "[{\"index\":0,\"delta\":{\"content\":\" returns\"}}]}",
                    head + "[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":2,\"total_tokens\":23}}",
                    "[DONE]"}) {
                out.write(("data: " + data + "\r\r").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } else if (label.startsWith("bigevent")) {
            // one event larger than the proxy holds (1 MiB), then the usage: relayed whole, usage flagged estimated
            OutputStream out = sse(ex);
            event(out, null, "{\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "x".repeat(BIG_EVENT_CHARS)
                    + "\"}}]}");
            event(out, null, "{\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                    + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":500000,"
                    + "\"total_tokens\":500009}}");
            event(out, null, "[DONE]");
        } else if (label.startsWith("stall")) {
            OutputStream out = sse(ex);
            event(out, null, "{\"id\":\"chatcmpl-stall\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                    + "\"content\":\"partial\"},\"finish_reason\":null}]}");
            sleep(6_000);
        } else {
            return false;
        }
        return true;
    }

    void route(HttpExchange ex, String path, JsonNode request, String model) throws IOException {
        boolean stream = request.path("stream").asBoolean(false);
        if (path.equals("/v1/chat/completions")) {
            if (stream) {
                chatStream(ex, model, request.path("stream_options").path("include_usage").asBoolean(false)
                        && !model.equals("mock-nousage"));
            } else {
                String usage = model.equals("mock-nousage") ? ""
                        : ",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":2}}";
                json(ex, 200, "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1700000000,"
                        + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"Hello from mock\"},\"finish_reason\":\"stop\",\"logprobs\":null}]" + usage + "}");
            }
        } else if (path.equals("/v1/responses")) {
            if (stream) {
                responsesStream(ex, model);
            } else {
                json(ex, 200, response(model, "completed", true));
            }
        } else if (path.startsWith("/v1/responses/")) {
            responseById(ex, path.substring("/v1/responses/".length()));
        } else if (path.equals("/v1/embeddings")) {
            embeddings(ex, model, request.path("encoding_format").asText("float"));
        } else if (path.equals("/v1/models")) {
            json(ex, 200, "{\"object\":\"list\",\"data\":[" + model("gpt-mock") + "," + model("text-embedding-mock")
                    + "]}");
        } else if (path.startsWith("/v1/models/")) {
            json(ex, 200, model(path.substring("/v1/models/".length())));
        } else if (path.equals("/v1/messages")) {
            if (stream) {
                messagesStream(ex, model);
            } else {
                json(ex, 200, "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
                        + "\",\"content\":[{\"type\":\"text\",\"text\":\"Hello from mock\"}],\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":4}}");
            }
        } else {
            json(ex, 404, "{\"error\":{\"message\":\"no mock for " + path + "\",\"type\":\"invalid_request_error\"}}");
        }
    }

    /**
     * Entra ID's v2.0 token endpoint, {@code /entra/{tenant}/oauth2/v2.0/token}, as
     * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow has it: a form with
     * {@code grant_type=client_credentials}, the client id and secret and Azure OpenAI's {@code .default} scope gets
     * a bearer token for an hour. Tenants named {@code rejected-*} answer 401 {@code invalid_client}, {@code slow-*}
     * nothing for 8 s, {@code malformed-*} a 200 that is not a token.
     */
    private void entra(HttpExchange ex, String path, String form) throws IOException {
        String tenant = path.substring(ENTRA_PATH.length() + 1, path.indexOf('/', ENTRA_PATH.length() + 1));
        Map<String, String> fields = new java.util.HashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length < 2 ? "" : java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        if (!path.equals(ENTRA_PATH + "/" + tenant + "/oauth2/v2.0/token")
                || !"client_credentials".equals(fields.get("grant_type"))
                || !"https://cognitiveservices.azure.com/.default".equals(fields.get("scope"))
                || !ENTRA_SECRET.equals(fields.get("client_secret")) || fields.get("client_id") == null) {
            json(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"AADSTS900144: malformed\"}");
            return;
        }
        if (tenant.startsWith("rejected-")) {
            json(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client"
                    + " secret provided. Ensure the secret being sent in the request is the client secret value, not the"
                    + " client secret ID\",\"error_codes\":[7000215]}");
            return;
        }
        if (tenant.startsWith("slow-")) {
            sleep(8_000);
        }
        if (tenant.startsWith("malformed-")) {
            json(ex, 200, "{\"token_type\":\"Bearer\",\"expires_in\":");
            return;
        }
        String token = "entra-token-" + entraIssued.incrementAndGet();
        entraTokens.add(token);
        json(ex, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\""
                + token + "\"}");
    }

    /** The client secret of the mock's Entra ID application. */
    static final String ENTRA_SECRET = "mock~Entra.secret_0004";

    /** The token requests for {@code tenant}. */
    int entraTokenRequests(String tenant) {
        return receivedOn(ENTRA_PATH + "/" + tenant + "/oauth2/v2.0/token").size();
    }

    /** Azure stops taking the tokens issued so far (as when an application's role is removed): they get 401. */
    void revokeEntraTokens() {
        entraTokens.clear();
    }

    /**
     * Azure OpenAI as a resource endpoint answers: the key in {@code api-key}, or an access token its Entra ID issued
     * in {@code Authorization: Bearer} (never both), the deployment paths only with an {@code api-version}, the v1
     * paths without; OpenAI's bodies and usage. The deployment {@code filtered} trips the content filter.
     */
    private void azure(HttpExchange ex, String path, JsonNode request) throws IOException {
        var headers = ex.getRequestHeaders();
        String bearer = headers.getFirst("Authorization");
        boolean byKey = AZURE_KEY.equals(headers.getFirst("api-key")) && bearer == null;
        boolean byToken = bearer != null && bearer.startsWith("Bearer ") && !headers.containsKey("api-key")
                && entraTokens.contains(bearer.substring("Bearer ".length()));
        if (!byKey && !byToken) {
            json(ex, 401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key"
                    + " or wrong API endpoint.\"}}");
            return;
        }
        String model = request.path("model").asText("");
        String openAiPath;
        var deployment = AZURE_DEPLOYMENT.matcher(path);
        if (deployment.matches()) {
            String query = ex.getRequestURI().getRawQuery();
            if (query == null || !("&" + query).contains("&api-version=")) {
                json(ex, 404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
                return;
            }
            model = deployment.group(1);
            openAiPath = "/v1" + deployment.group(2);
        } else if (path.startsWith("/openai/v1/")) {
            openAiPath = path.substring("/openai".length());
        } else {
            json(ex, 404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
            return;
        }
        if (model.equals("filtered")) {
            json(ex, 400, AZURE_CONTENT_FILTERED);
            return;
        }
        route(ex, openAiPath, request, model);
    }

    private boolean authorised(HttpExchange ex, boolean anthropic) {
        var headers = ex.getRequestHeaders();
        if (anthropic) {
            return ANTHROPIC_KEY.equals(headers.getFirst("x-api-key")) && headers.getFirst("anthropic-version") != null;
        }
        return ("Bearer " + OPENAI_KEY).equals(headers.getFirst("Authorization"));
    }

    private void chatStream(HttpExchange ex, String model, boolean includeUsage) throws IOException {
        OutputStream out = sse(ex);
        // As OpenAI does: with include_usage every chunk carries "usage":null, the last one the numbers.
        String head = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                + model + "\"" + (includeUsage ? ",\"usage\":null" : "") + ",\"choices\":[{\"index\":0,\"delta\":";
        event(out, null, head + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        if (model.equals("mock-gate")) {
            try {
                gateTimedOut = !gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (model.equals("mock-endless")) {
            try {
                for (int i = 0; i < 2_000; i++) {
                    event(out, null, head + "{\"content\":\"tick \"},\"finish_reason\":null}]}");
                    sleep(25);
                }
            } catch (IOException broken) {
                endlessBrokenNanos = System.nanoTime();
                endlessBroken.countDown();
                throw broken;
            }
        } else if (model.equals("mock-stall")) {
            sleep(8_000);
        }
        for (String word : new String[] {"Hello", " from", " mock"}) {
            event(out, null, head + "{\"content\":\"" + word + "\"},\"finish_reason\":null}]}");
        }
        event(out, null, head + "{},\"finish_reason\":\"stop\"}]}");
        if (includeUsage) {
            event(out, null, "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
                    + "\"completion_tokens\":3,\"total_tokens\":15}}");
        }
        event(out, null, "[DONE]");
    }

    private void messagesStream(HttpExchange ex, String model) throws IOException {
        OutputStream out = sse(ex);
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");
        event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        event(out, "ping", "{\"type\":\"ping\"}");
        if (model.equals("mock-endless")) { // as on the Chat Completions API: deltas until the connection breaks
            for (int i = 0; i < 2_000; i++) {
                event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"tick \"}}");
                sleep(25);
            }
        }
        for (String word : new String[] {"Hello", " from", " mock"}) {
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + word + "\"}}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}");
        event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }

    /** Usage every Responses API answer reports: 13 in (4 of them cached), 7 out (2 of them reasoning). */
    static final String RESPONSES_USAGE = "{\"input_tokens\":13,\"input_tokens_details\":{\"cached_tokens\":4},"
            + "\"output_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":20}";
    private static final String RESPONSE_ID = "resp_mock";
    private static final String MESSAGE = "{\"id\":\"msg_mock\",\"type\":\"message\",\"status\":\"completed\","
            + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello from mock\","
            + "\"annotations\":[]}]}";

    /** A Responses API response object in {@code status}; with output and usage once it has ended. */
    private static String response(String model, String status, boolean ended) {
        String error = status.equals("failed")
                ? "{\"code\":\"server_error\",\"message\":\"The model failed to generate a response.\"}" : "null";
        String incomplete = status.equals("incomplete") ? "{\"reason\":\"max_output_tokens\"}" : "null";
        return "{\"id\":\"" + RESPONSE_ID + "\",\"object\":\"response\",\"created_at\":1700000000,\"status\":\""
                + status + "\",\"error\":" + error + ",\"incomplete_details\":" + incomplete + ",\"instructions\":null,"
                + "\"max_output_tokens\":null,\"model\":\"" + model + "\",\"output\":["
                + (ended && !status.equals("failed") ? MESSAGE : "") + "],\"parallel_tool_calls\":true,"
                + "\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,"
                + "\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\","
                + "\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":"
                + (ended ? RESPONSES_USAGE : "null") + ",\"user\":null,\"metadata\":{}}";
    }

    /**
     * A streamed response, event by event as OpenAI sends it: created, in progress, the message item and its text
     * part, three text deltas, their ends, and a last event with the whole response and its usage.
     */
    private void responsesStream(HttpExchange ex, String model) throws IOException {
        OutputStream out = sse(ex);
        int seq = 0;
        String item = "\"item_id\":\"msg_mock\",\"output_index\":0,\"content_index\":0";
        event(out, "response.created", "{\"type\":\"response.created\",\"sequence_number\":" + seq++
                + ",\"response\":" + response(model, "in_progress", false) + "}");
        event(out, "response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":" + seq++
                + ",\"response\":" + response(model, "in_progress", false) + "}");
        event(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":"
                + seq++ + ",\"output_index\":0,\"item\":{\"id\":\"msg_mock\",\"type\":\"message\","
                + "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}");
        event(out, "response.content_part.added", "{\"type\":\"response.content_part.added\",\"sequence_number\":"
                + seq++ + "," + item + ",\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}");
        for (String word : new String[] {"Hello", " from", " mock"}) {
            event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":"
                    + seq++ + "," + item + ",\"delta\":\"" + word + "\",\"logprobs\":[]}");
        }
        event(out, "response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":"
                + seq++ + "," + item + ",\"text\":\"Hello from mock\",\"logprobs\":[]}");
        event(out, "response.content_part.done", "{\"type\":\"response.content_part.done\",\"sequence_number\":"
                + seq++ + "," + item + ",\"part\":{\"type\":\"output_text\",\"text\":\"Hello from mock\","
                + "\"annotations\":[]}}");
        event(out, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":"
                + seq++ + ",\"output_index\":0,\"item\":" + MESSAGE + "}");
        String end = switch (model) {
            case "mock-incomplete" -> "incomplete";
            case "mock-failed" -> "failed";
            default -> "completed";
        };
        event(out, "response." + end, "{\"type\":\"response." + end + "\",\"sequence_number\":" + seq
                + ",\"response\":" + response(model, end, true) + "}");
    }

    /** Retrieve, cancel, delete and the input items of the one stored response. */
    private void responseById(HttpExchange ex, String rest) throws IOException {
        String method = ex.getRequestMethod();
        if (rest.equals(RESPONSE_ID) && method.equals("GET")) {
            json(ex, 200, response("gpt-mock", "completed", true));
        } else if (rest.equals(RESPONSE_ID) && method.equals("DELETE")) {
            json(ex, 200, "{\"id\":\"" + RESPONSE_ID + "\",\"object\":\"response.deleted\",\"deleted\":true}");
        } else if (rest.equals(RESPONSE_ID + "/cancel") && method.equals("POST")) {
            json(ex, 200, response("gpt-mock", "cancelled", false));
        } else if (rest.equals(RESPONSE_ID + "/input_items") && method.equals("GET")) {
            json(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"msg_input\",\"type\":\"message\","
                    + "\"role\":\"user\",\"status\":\"completed\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"Say hello\"}]}],\"first_id\":\"msg_input\",\"last_id\":\"msg_input\","
                    + "\"has_more\":false}");
        } else {
            json(ex, 404, "{\"error\":{\"message\":\"No response with id '" + rest + "' found.\","
                    + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        }
    }

    private void embeddings(HttpExchange ex, String model, String format) throws IOException {
        float[] vector = {0.25f, -0.5f, 0.75f};
        ObjectNode item = JSON.createObjectNode().put("object", "embedding").put("index", 0);
        if (format.equals("base64")) {
            ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : vector) {
                bytes.putFloat(f);
            }
            item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
        } else {
            var array = item.putArray("embedding");
            for (float f : vector) {
                array.add(f);
            }
        }
        ObjectNode response = JSON.createObjectNode().put("object", "list").put("model", model);
        response.putArray("data").add(item);
        response.putObject("usage").put("prompt_tokens", 3).put("total_tokens", 3);
        json(ex, 200, JSON.writeValueAsString(response));
    }

    /** A JSON answer of {@link #HUGE_BODY_BYTES}, written in 64 KiB pieces without a length (chunked). */
    private static void huge(HttpExchange ex, String model) throws IOException {
        String head = "{\"id\":\"chatcmpl-huge\",\"object\":\"chat.completion\",\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
        String tail = "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":9,"
                + "\"total_tokens\":17}}";
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(head.getBytes(StandardCharsets.UTF_8));
        byte[] piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        long left = HUGE_BODY_BYTES - head.length() - tail.length();
        while (left > 0) {
            int n = (int) Math.min(piece.length, left);
            out.write(piece, 0, n);
            left -= n;
        }
        out.write(tail.getBytes(StandardCharsets.UTF_8));
    }

    private static String model(String id) {
        return "{\"id\":\"" + id + "\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"mock\"}";
    }

    private static OutputStream sse(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        String text = (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().add("Set-Cookie", "__provider_cookie=1; Path=/");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
