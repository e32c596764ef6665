package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Gemini API as {@link MockProvider} plays it, under {@code /v1beta} and {@code /v1} (where @google/genai 3
 * sends its calls by default), in the wire format of Google's reference
 * (https://ai.google.dev/api/generate-content): {@code models/{model}:generateContent} answers a
 * GenerateContentResponse with {@code usageMetadata} and {@code modelVersion}; {@code :streamGenerateContent?alt=sse}
 * one per event, each with the usage so far, events ending in CRLF CRLF as Google's do; without {@code alt=sse} the
 * same responses as one JSON array; {@code :countTokens} its {@code totalTokens}; {@code GET models} the list. The key
 * must come in {@code x-goog-api-key}, and no {@code key} query parameter may reach it (it would be the caller's proxy
 * token); a wrong key gets Google's 400 {@code API_KEY_INVALID}, the model {@code gemini-missing} Google's 404.
 * {@code /v1beta/openai/…} is OpenAI's API (https://ai.google.dev/gemini-api/docs/openai), answered by the OpenAI mock.
 */
final class MockGemini {
    static final String KEY = "AIza-mock-gemini-key-0004";
    private static final Pattern CALL = Pattern.compile("^/v1(?:beta)?/models/([^/]+):([A-Za-z]+)$");
    /** Usage of a thinking model's answer: the thoughts are not in candidatesTokenCount. */
    static final String USAGE = "{\"promptTokenCount\":11,\"candidatesTokenCount\":4,\"totalTokenCount\":35,"
            + "\"cachedContentTokenCount\":3,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":11}],"
            + "\"thoughtsTokenCount\":20}";

    private MockGemini() {
    }

    /** Gemini's paths: {@code /v1beta}, and those of {@code /v1} that are Google's (a model's call, a Google key). */
    static boolean serves(HttpExchange ex, String path) {
        return path.startsWith("/v1beta/") || CALL.matcher(path).matches()
                || ex.getRequestHeaders().containsKey("x-goog-api-key");
    }

    static void handle(MockProvider provider, HttpExchange ex, String path, JsonNode request) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        var headers = ex.getRequestHeaders();
        boolean keyInQuery = query != null && ("&" + query).contains("&key=");
        if (!KEY.equals(headers.getFirst("x-goog-api-key")) || keyInQuery || headers.containsKey("Authorization")) {
            MockProvider.json(ex, 400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API"
                    + " key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc"
                    + ".ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":"
                    + "\"generativelanguage.googleapis.com\"}}]}}");
            return;
        }
        answer(provider, ex, path, request);
    }

    /** Answers an authorised call on Gemini's {@code path}: what Vertex AI's Gemini models answer too. */
    static void answer(MockProvider provider, HttpExchange ex, String path, JsonNode request) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        if (path.startsWith("/v1beta/openai/")) {
            provider.route(ex, "/v1/" + path.substring("/v1beta/openai/".length()), request,
                    request.path("model").asText(""));
            return;
        }
        Matcher call = CALL.matcher(path);
        if (!call.matches()) {
            String version = path.startsWith("/v1beta/") ? "/v1beta/" : "/v1/";
            String rest = path.substring(version.length());
            if (rest.equals("models")) {
                MockProvider.json(ex, 200, "{\"models\":[" + model("gemini-mock") + "," + model("gemini-mini-mock") + "]}");
            } else if (rest.startsWith("models/")) {
                MockProvider.json(ex, 200, model(rest.substring("models/".length())));
            } else {
                notFound(ex, path);
            }
            return;
        }
        String model = call.group(1);
        if (model.equals("gemini-missing")) {
            MockProvider.json(ex, 404, "{\"error\":{\"code\":404,\"message\":\"models/gemini-missing is not found for API"
                    + " version v1beta, or is not supported for generateContent. Call ListModels to see the list of"
                    + " available models and their supported methods.\",\"status\":\"NOT_FOUND\"}}");
            return;
        }
        switch (call.group(2)) {
            case "generateContent" -> MockProvider.json(ex, 200, response(model, "Hello from Gemini", USAGE, "STOP"));
            case "streamGenerateContent" -> stream(ex, model, query != null && ("&" + query).contains("&alt=sse"));
            case "countTokens" -> MockProvider.json(ex, 200, "{\"totalTokens\":31,\"promptTokensDetails\":[{\"modality\":"
                    + "\"TEXT\",\"tokenCount\":31}]}");
            default -> notFound(ex, path);
        }
    }

    /**
     * Three responses, each with the usage so far (the last the call's: 11 in, 3 out, 2 of them cached); as SSE or,
     * without {@code alt=sse}, as the elements of one JSON array sent as they come.
     */
    private static void stream(HttpExchange ex, String model, boolean sse) throws IOException {
        String[] chunks = {
            response(model, "Hello", "{\"promptTokenCount\":11,\"candidatesTokenCount\":1,\"totalTokenCount\":12}", null),
            response(model, " from", "{\"promptTokenCount\":11,\"candidatesTokenCount\":2,\"totalTokenCount\":13}", null),
            response(model, " Gemini", "{\"promptTokenCount\":11,\"candidatesTokenCount\":3,\"totalTokenCount\":14,"
                    + "\"cachedContentTokenCount\":2}", "STOP")};
        ex.getResponseHeaders().set("Content-Type", sse ? "text/event-stream" : "application/json; charset=UTF-8");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < chunks.length; i++) {
            String piece = sse ? "data: " + chunks[i] + "\r\n\r\n" : (i == 0 ? "[" : ",\r\n") + chunks[i];
            out.write(piece.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        if (!sse) {
            out.write("]".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String response(String model, String text, String usage, String finish) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}"
                + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + ",\"index\":0}],\"usageMetadata\":"
                + usage + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"mock-gemini-response\"}";
    }

    private static String model(String id) {
        return "{\"name\":\"models/" + id + "\",\"version\":\"001\",\"displayName\":\"" + id + "\",\"inputTokenLimit\":"
                + "1048576,\"outputTokenLimit\":65536,\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"]}";
    }

    private static void notFound(HttpExchange ex, String path) throws IOException {
        MockProvider.json(ex, 404, "{\"error\":{\"code\":404,\"message\":\"no mock for " + path
                + "\",\"status\":\"NOT_FOUND\"}}");
    }
}
