package dev.llmproxy.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.project.Provider;
import dev.llmproxy.provider.ProviderDefinition;
import dev.llmproxy.usage.Prompt;
import dev.llmproxy.usage.PromptText;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * A JSON request body as the proxy needs it: the model, whether a stream was asked for, what the provider will bill
 * as input, and the body to send upstream. For OpenAI-style streamed chat and completions that do not ask for usage,
 * the upstream copy asks for it ({@code stream_options.include_usage}), so the record has the provider's own count;
 * the caller never sees the difference (see UsageMeter). A body the proxy could not read says why
 * ({@link #unreadable}): the admission refuses it whenever a rule needs what is in it.
 */
record UpstreamBody(byte[] bytes, String model, boolean stream, boolean injectedStreamUsage, Prompt prompt,
                    Integer maxOutputTokens, boolean deterministic, String unreadable) {
    /**
     * Jackson's own limits, named: a body that passes them is read whole or refused, never half-read. Content after
     * the object is refused too (found by fuzzing, docs/fuzzing.md): Jackson would read the first value only, and
     * the model checked would not be the whole of what goes upstream.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(dev.llmproxy.JsonFactories.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxNumberLength(1_000)
                    .maxStringLength(64 * 1024 * 1024).build())
            .build()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** Calls whose answer depends only on the request. */
    private static final Set<String> DETERMINISTIC_PATHS = Set.of("/v1/embeddings", "/v1/moderations",
            "/v1/messages/count_tokens");
    /** Generation calls: the same answer again only when sampling is off (temperature 0, one choice). */
    private static final Set<String> GENERATION_PATHS = Set.of("/v1/chat/completions", "/v1/completions",
            "/v1/messages", "/v1/responses");

    /** @param model the model the path names, if any */
    private static UpstreamBody unread(byte[] body, String model, String why) {
        return new UpstreamBody(body, model, false, false, Prompt.NONE, null, false, why);
    }

    /** The same body, for {@code served}: the model behind a deployment (Azure), for prices and allowlists. */
    UpstreamBody withModel(String served) {
        return new UpstreamBody(bytes, served, stream, injectedStreamUsage, prompt, maxOutputTokens, deterministic,
                unreadable);
    }

    /** Whether the body was read, so that its model and prompt are what the provider will see. */
    boolean readable() {
        return unreadable == null;
    }

    /**
     * Reads {@code body}, sent to {@code path} of {@code provider}'s API. The model is the one the path names where
     * the provider puts it there (an Azure deployment, a Gemini model), else the body's.
     */
    static UpstreamBody of(byte[] body, String contentType, Provider provider, String callerPath) {
        ProviderDefinition definition = provider.definition();
        String path = definition.canonicalPath(callerPath);
        String inPath = definition.modelInPath(callerPath).orElse(null);
        if (body.length == 0) {
            return new UpstreamBody(body, inPath, false, false, Prompt.NONE, null, false, null);
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return unread(body, inPath, "its Content-Type " + (contentType == null ? "is missing" : "'"
                    + contentType + "' is not JSON"));
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            return unread(body, inPath, "it exceeds a JSON limit (" + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            return unread(body, inPath, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            return unread(body, inPath, "it is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            return unread(body, inPath, "it is not a JSON object");
        }
        String model = inPath != null ? inPath : node.path("model").isTextual() ? node.get("model").asText() : null;
        boolean stream = node.path("stream").asBoolean(false) || definition.streamedPath(callerPath);
        Prompt prompt = PromptText.of(node, definition.anthropicPrompt(callerPath));
        Integer maxOutput = maxOutputTokens(node);
        boolean chatOrCompletion = path.equals("/v1/chat/completions") || path.equals("/v1/completions");
        if (definition.asksForStreamUsage() && chatOrCompletion && stream
                && !node.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            JsonNode options = copy.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode o ? o : copy.putObject("stream_options");
            streamOptions.put("include_usage", true);
            try {
                return new UpstreamBody(JSON.writeValueAsBytes(copy), model, true, true, prompt, maxOutput, false,
                        null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new UpstreamBody(body, model, stream, false, prompt, maxOutput, deterministic(node, path, stream),
                null);
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

    /**
     * The caller's cap on output tokens, under whichever name its API uses (Gemini's in its generationConfig); a
     * negative one is none (it must not lower a budget's reservation).
     */
    private static Integer maxOutputTokens(JsonNode node) {
        for (JsonNode cap : new JsonNode[] {node.path("max_tokens"), node.path("max_completion_tokens"),
                node.path("max_output_tokens"), node.path("generationConfig").path("maxOutputTokens"),
                node.path("inferenceConfig").path("maxTokens")}) {
            if (cap.canConvertToInt() && cap.isIntegralNumber()) {
                return cap.intValue() < 0 ? null : cap.intValue();
            }
        }
        return null;
    }
}
