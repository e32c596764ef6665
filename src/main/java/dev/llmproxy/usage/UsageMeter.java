package dev.llmproxy.usage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Measures one call's tokens from the response as it passes: a JSON body through {@link JsonUsageScanner}, a stream
 * event by event. For OpenAI streams where the proxy asked for usage on the caller's behalf
 * ({@code stream_options.include_usage}), it removes what the caller did not ask for: the final usage-only chunk
 * and the top-level {@code "usage":null} member the provider then adds to every other chunk. A Responses API stream
 * (https://platform.openai.com/docs/api-reference/responses-streaming) reports usage only inside the response of
 * its last event, {@code response.completed}, {@code response.incomplete} or {@code response.failed}. A Gemini stream
 * ({@code streamGenerateContent?alt=sse}, https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent)
 * is a GenerateContentResponse per event, each with the call's {@code usageMetadata} so far: the last counts. When the
 * provider reported nothing, it estimates with a tokenizer and says so.
 */
public final class UsageMeter {
    /** One JSON value per event: an event with more after it is not read at all (found by fuzzing). */
    private static final ObjectMapper JSON = dev.llmproxy.JsonFactories.mapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_TEXT = 1 << 20;
    /** The Responses API's events that end a stream with the whole response, usage included. */
    private static final Set<String> RESPONSE_ENDS = Set.of("response.completed", "response.incomplete",
            "response.failed");

    private final UsageDialect dialect;
    private final boolean injectedStreamUsage;
    private final Prompt prompt;
    private final TokenEstimator estimator;
    private final Map<String, Long> streamNumbers = new HashMap<>();
    private final StringBuilder streamText = new StringBuilder();
    private JsonUsageScanner body;
    private String model;
    private final String requestModel;
    private volatile boolean streamUnparsed;
    /** The counts the answer's headers carry (Bedrock's), empty when it has none or the dialect reads none. */
    private Optional<TokenUsage> headerUsage = Optional.empty();

    public UsageMeter(UsageDialect dialect, String requestModel, boolean injectedStreamUsage, Prompt prompt,
                      TokenEstimator estimator) {
        this.dialect = dialect;
        this.model = requestModel;
        this.requestModel = requestModel;
        this.injectedStreamUsage = injectedStreamUsage;
        this.prompt = prompt;
        this.estimator = estimator;
    }

    /**
     * The answer's headers, each name's values by {@code header} (none when absent), before its body: Bedrock's
     * carry the call's token counts ({@link ProviderUsage#bedrockHeaders}); the other dialects' are not read.
     */
    public void answerHeaders(Function<String, List<String>> header) {
        if (dialect == UsageDialect.BEDROCK) {
            headerUsage = ProviderUsage.bedrockHeaders(header);
        }
    }

    /** A chunk of a non-streamed JSON body. */
    public void jsonChunk(byte[] chunk) {
        if (body == null) {
            body = new JsonUsageScanner();
        }
        body.feed(chunk);
    }

    /**
     * One server-sent event; returns the data to pass on, possibly changed, or null to drop the event.
     */
    public String sseEvent(String event, String data) {
        if (data.isEmpty() || data.equals("[DONE]")) {
            return data;
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (IOException e) {
            return data;
        }
        return switch (dialect) {
            case ANTHROPIC -> anthropicEvent(node, data);
            case GEMINI -> geminiEvent(node, data);
            case OPENAI -> openAiEvent(node, data);
            case BEDROCK -> data; // Bedrock streams are event streams: eventStreamMessage
        };
    }

    /**
     * One message of a Bedrock event stream (its {@code :event-type}, its JSON payload), never changed. ConverseStream
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html): the text in
     * {@code contentBlockDelta}, the usage in {@code metadata}. InvokeModelWithResponseStream: each {@code chunk}'s
     * {@code bytes} is a base64 event of the model's own API (Anthropic's stream events for Claude, read as such),
     * the last one with Bedrock's {@code amazon-bedrock-invocationMetrics}.
     */
    public void eventStreamMessage(String eventType, byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (IOException e) {
            return;
        }
        if (node == null) {
            return;
        }
        switch (eventType) {
            case "metadata" -> {
                streamNumbers.keySet().removeIf(k -> k.startsWith("usage."));
                collect("usage", node.path("usage"));
            }
            case "contentBlockDelta" -> appendText(node.path("delta").path("text").asText(""));
            case "chunk" -> modelEvent(node.path("bytes").asText(""));
            default -> { }
        }
    }

    /** An InvokeModelWithResponseStream chunk's event of the model's own API. */
    private void modelEvent(String base64) {
        JsonNode event;
        try {
            event = JSON.readTree(java.util.Base64.getDecoder().decode(base64));
        } catch (IOException | IllegalArgumentException e) {
            return;
        }
        if (event == null || !event.isObject()) {
            return;
        }
        anthropicEvent(event, "");
        JsonNode metrics = event.path(ProviderUsage.BEDROCK_METRICS);
        if (metrics.isObject()) {
            collect(ProviderUsage.BEDROCK_METRICS, metrics);
        }
    }

    /** A GenerateContentResponse: its {@code modelVersion}, its usage so far (replacing the earlier), its text. */
    private String geminiEvent(JsonNode node, String data) {
        if (node.hasNonNull("modelVersion")) {
            model = node.get("modelVersion").asText();
        }
        JsonNode usage = node.get(ProviderUsage.GEMINI);
        if (usage != null && usage.isObject()) {
            streamNumbers.clear();
            collect(ProviderUsage.GEMINI, usage);
        }
        for (JsonNode candidate : node.path("candidates")) {
            for (JsonNode part : candidate.path("content").path("parts")) {
                appendText(part.path("text").asText(""));
            }
        }
        return data;
    }

    private String openAiEvent(JsonNode node, String data) {
        String type = node.path("type").asText("");
        if (type.startsWith("response.")) {
            return responsesEvent(type, node, data);
        }
        if (node.hasNonNull("model")) {
            model = node.get("model").asText();
        }
        JsonNode usage = node.get("usage");
        if (usage != null && usage.isObject()) {
            collect("usage", usage);
        }
        for (JsonNode choice : node.path("choices")) {
            appendText(choice.path("delta").path("content").asText(""));
            appendText(choice.path("text").asText(""));
        }
        if (!injectedStreamUsage) {
            return data;
        }
        if (usage != null && usage.isObject() && node.path("choices").isArray() && node.path("choices").isEmpty()) {
            return null; // the usage-only chunk the caller did not ask for
        }
        return usage != null && usage.isNull() ? withoutNullUsage(data) : data;
    }

    /**
     * A Responses API event: the response it carries names the model (from {@code response.created} on), the last
     * one has the usage; text deltas are kept for an estimate. Passed on unchanged: the proxy asks for nothing here.
     */
    private String responsesEvent(String type, JsonNode node, String data) {
        JsonNode response = node.path("response");
        if (response.hasNonNull("model")) {
            model = response.get("model").asText();
        }
        JsonNode usage = response.path("usage");
        if (RESPONSE_ENDS.contains(type) && usage.isObject()) {
            streamNumbers.clear(); // the final response's usage is the whole call's
            collect("usage", usage);
        } else if (type.equals("response.output_text.delta") || type.equals("response.refusal.delta")) {
            appendText(node.path("delta").asText(""));
        }
        return data;
    }

    /**
     * The event without its top-level {@code "usage":null} member (and one comma beside it), the rest character for
     * character. Only the top level: a {@code usage} key deeper down (a tool's output) is the caller's.
     */
    static String withoutNullUsage(String json) {
        int depth = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = stringEnd(json, i);
                if (depth == 1 && end == i + 6 && json.startsWith("\"usage\"", i)) {
                    int colon = skipSpace(json, end + 1);
                    int value = colon < json.length() && json.charAt(colon) == ':' ? skipSpace(json, colon + 1) : -1;
                    if (value >= 0 && json.startsWith("null", value)) {
                        int before = i - 1;
                        while (before >= 0 && Character.isWhitespace(json.charAt(before))) {
                            before--;
                        }
                        if (before >= 0 && json.charAt(before) == ',') {
                            return json.substring(0, before) + json.substring(value + 4);
                        }
                        int after = skipSpace(json, value + 4);
                        boolean comma = after < json.length() && json.charAt(after) == ',';
                        return json.substring(0, i) + json.substring(comma ? after + 1 : value + 4);
                    }
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return json;
    }

    /** Index of the quote that closes the string opening at {@code open}. */
    private static int stringEnd(String json, int open) {
        for (int i = open + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return json.length();
    }

    private static int skipSpace(String json, int from) {
        int i = from;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    private String anthropicEvent(JsonNode node, String data) {
        String type = node.path("type").asText();
        if (type.equals("message_start")) {
            JsonNode message = node.path("message");
            if (message.hasNonNull("model")) {
                model = message.get("model").asText();
            }
            collect("usage", message.path("usage"));
        } else if (type.equals("message_delta")) {
            collect("usage", node.path("usage")); // output_tokens there is cumulative
        } else if (type.equals("content_block_delta")) {
            appendText(node.path("delta").path("text").asText(""));
        }
        return data;
    }

    private void collect(String prefix, JsonNode object) {
        object.fields().forEachRemaining(e -> {
            if (e.getValue().isIntegralNumber()) {
                // a number past a long would wrap (2^64 + 5 to 5): it counts as the most there can be
                streamNumbers.put(prefix + "." + e.getKey(), e.getValue().canConvertToLong()
                        ? e.getValue().longValue() : e.getValue().bigIntegerValue().signum() < 0 ? 0 : Long.MAX_VALUE);
            } else if (e.getValue().isObject()) {
                collect(prefix + "." + e.getKey(), e.getValue());
            }
        });
    }

    private void appendText(String text) {
        if (!text.isEmpty() && streamText.length() < MAX_TEXT) {
            streamText.append(text);
        }
    }

    /** Part of the stream was passed on without being read (an event too large to hold): what was read may miss usage. */
    public void streamUnparsed() {
        streamUnparsed = true;
    }

    /**
     * The model that answered, or the one requested when the answer named none. On Bedrock the one requested: the
     * path's model id is what Bedrock bills, and a Claude body's {@code model} is Anthropic's name for it.
     */
    public String model() {
        if (dialect == UsageDialect.BEDROCK) {
            return requestModel;
        }
        if (body != null && body.model() != null) {
            return body.model();
        }
        return model;
    }

    /**
     * The provider's own count when it gave one (Bedrock's headers', or its body's when they agree, see
     * {@link ProviderUsage#bedrockAgreeing}), else a tokenizer estimate (flagged).
     */
    public TokenUsage usage() {
        Map<String, Long> numbers = body != null ? body.usageNumbers() : streamNumbers;
        var reported = switch (dialect) {
            case ANTHROPIC -> ProviderUsage.anthropic(numbers);
            case GEMINI -> ProviderUsage.gemini(numbers);
            case OPENAI -> ProviderUsage.openAi(numbers);
            case BEDROCK -> ProviderUsage.bedrock(numbers);
        };
        if (headerUsage.isPresent()) {
            reported = Optional.of(ProviderUsage.bedrockAgreeing(reported, headerUsage.get()));
        }
        if (reported.isPresent()) {
            TokenUsage u = reported.get();
            return streamUnparsed ? u.flaggedEstimated() : u;
        }
        String answer = body != null ? body.answerText() : streamText.toString();
        return TokenUsage.estimate(estimator.countPrompt(model(), prompt), estimator.count(model(), answer));
    }
}
