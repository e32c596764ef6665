package dev.llmproxy.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.project.Provider;
import dev.llmproxy.usage.PromptText;
import java.io.IOException;
import java.util.List;

/**
 * A JSON request body as the proxy needs it: the model, whether a stream was asked for, and the body to send
 * upstream. For OpenAI-style streamed chat and completions that do not ask for usage, the upstream copy asks for it
 * ({@code stream_options.include_usage}), so the record has the provider's own count; the caller never sees the
 * difference (see UsageMeter).
 */
record UpstreamBody(byte[] bytes, String model, boolean stream, boolean injectedStreamUsage, List<String> promptTexts,
                    Integer maxOutputTokens, boolean deterministic) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Calls whose answer depends only on the request. */
    private static final java.util.Set<String> DETERMINISTIC_PATHS = java.util.Set.of("/v1/embeddings",
            "/v1/moderations", "/v1/messages/count_tokens");
    /** Generation calls: the same answer again only when sampling is off (temperature 0, one choice). */
    private static final java.util.Set<String> GENERATION_PATHS = java.util.Set.of("/v1/chat/completions",
            "/v1/completions", "/v1/messages", "/v1/responses");

    private static UpstreamBody opaque(byte[] body) {
        return new UpstreamBody(body, null, false, false, List.of(), null, false);
    }

    /** Whether the same request gets the same answer, so that a cached answer is a faithful one. */
    private static boolean deterministic(JsonNode node, String path, boolean stream) {
        if (stream) {
            return false;
        }
        if (DETERMINISTIC_PATHS.contains(path)) {
            return true;
        }
        JsonNode temperature = node.path("temperature");
        boolean oneChoice = !node.has("n") || node.path("n").asInt(0) == 1;
        return GENERATION_PATHS.contains(path) && temperature.isNumber() && temperature.doubleValue() == 0.0
                && oneChoice;
    }

    /** The caller's cap on output tokens, under whichever name its API uses. */
    private static Integer maxOutputTokens(JsonNode node) {
        for (String field : new String[] {"max_tokens", "max_completion_tokens", "max_output_tokens"}) {
            if (node.path(field).canConvertToInt() && node.path(field).isIntegralNumber()) {
                return node.get(field).intValue();
            }
        }
        return null;
    }

    static UpstreamBody of(byte[] body, String contentType, Provider provider, String path) {
        if (body.length == 0 || contentType == null || !contentType.toLowerCase().contains("json")) {
            return opaque(body);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return opaque(body); // the provider will say what is wrong
        }
        if (node == null || !node.isObject()) {
            return opaque(body);
        }
        String model = node.path("model").isTextual() ? node.get("model").asText() : null;
        boolean stream = node.path("stream").asBoolean(false);
        List<String> prompt = PromptText.of(node);
        Integer maxOutput = maxOutputTokens(node);
        boolean openAiStyle = provider != Provider.ANTHROPIC;
        boolean chatOrCompletion = path.equals("/v1/chat/completions") || path.equals("/v1/completions");
        if (openAiStyle && chatOrCompletion && stream
                && !node.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            JsonNode options = copy.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode o ? o : copy.putObject("stream_options");
            streamOptions.put("include_usage", true);
            try {
                return new UpstreamBody(JSON.writeValueAsBytes(copy), model, true, true, prompt, maxOutput, false);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new UpstreamBody(body, model, stream, false, prompt, maxOutput, deterministic(node, path, stream));
    }
}
