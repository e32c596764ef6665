package dev.llmproxy.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything in a request that a provider bills as input, for the budget and tokens-per-minute estimates (#13): the
 * messages and their content blocks, the system prompt ({@code system}, {@code instructions}), completions' {@code
 * prompt} and embeddings' and the Responses API's {@code input}, tool calls and results, tool definitions ({@code
 * tools}, as the JSON the provider reads) and structured-output schemas ({@code response_format}, {@code text.format});
 * in Gemini's GenerateContentRequest (https://ai.google.dev/api/generate-content) the parts of {@code contents} and
 * {@code systemInstruction}, function calls and responses, and the response schema. Images count by the providers'
 * rules: OpenAI bills {@value #OPENAI_LOW_DETAIL} tokens for a low-detail image and at most {@value #OPENAI_IMAGE_MAX}
 * (the tile rule's largest) otherwise; Anthropic at most {@value #ANTHROPIC_IMAGE_MAX} (about 1.15 megapixels over
 * 750); a PDF document counts as one image (an underestimate for long ones, settled with the provider's count
 * afterwards); Gemini's inline and file data too.
 */
public final class PromptText {
    static final int OPENAI_LOW_DETAIL = 85;
    static final int OPENAI_IMAGE_MAX = 1_445;
    static final int ANTHROPIC_IMAGE_MAX = 1_600;

    private final List<String> texts = new ArrayList<>();
    private long fixed;
    private final boolean anthropic;

    private PromptText(boolean anthropic) {
        this.anthropic = anthropic;
    }

    /** @param anthropic the request is in Anthropic's Messages format (its image rule applies) */
    public static Prompt of(JsonNode body, boolean anthropic) {
        if (body == null || !body.isObject()) {
            return Prompt.NONE;
        }
        PromptText p = new PromptText(anthropic);
        p.content(body.get("system"));
        p.content(body.get("instructions"));
        for (JsonNode message : body.path("messages")) {
            p.content(message.get("content"));
            for (JsonNode call : message.path("tool_calls")) {
                p.text(call.path("function").path("name"));
                p.text(call.path("function").path("arguments"));
            }
        }
        p.content(body.get("prompt"));
        p.content(body.get("input"));
        p.json(body.get("tools"));
        p.json(body.path("response_format").get("json_schema"));
        p.json(body.path("text").get("format"));
        for (JsonNode content : body.path("contents")) {
            p.content(content.get("parts"));
        }
        p.content(body.path("systemInstruction").get("parts"));
        p.json(body.path("generationConfig").get("responseSchema"));
        return new Prompt(p.texts, p.fixed);
    }

    /** A string, an array of strings, or content blocks / Responses items, however nested. */
    private void content(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            texts.add(node.asText());
            return;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                content(item);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String type = node.path("type").asText("");
        if (type.equals("image_url") || type.equals("input_image") || type.equals("image")) {
            fixed += imageTokens(node);
            return;
        }
        if (type.equals("document") || type.equals("input_file") || type.equals("file")) {
            fixed += anthropic ? ANTHROPIC_IMAGE_MAX : OPENAI_IMAGE_MAX;
            return;
        }
        if (node.has("inlineData") || node.has("fileData")) { // a Gemini part with an image, a document, audio
            fixed += OPENAI_IMAGE_MAX;
            return;
        }
        text(node.get("text"));
        json(node.get("functionCall")); // a Gemini part calling a function
        json(node.get("functionResponse")); // a Gemini part answering one
        text(node.get("output")); // a function call's output (Responses API)
        text(node.get("arguments")); // a function call (Responses API)
        json(node.get("input")); // a tool_use block's input (Anthropic)
        content(node.get("content")); // a message item, or a tool_result's content
    }

    private long imageTokens(JsonNode image) {
        if (anthropic) {
            return ANTHROPIC_IMAGE_MAX;
        }
        String detail = image.path("image_url").path("detail").asText(image.path("detail").asText("auto"));
        return detail.equals("low") ? OPENAI_LOW_DETAIL : OPENAI_IMAGE_MAX;
    }

    private void text(JsonNode node) {
        if (node != null && node.isTextual() && !node.asText().isEmpty()) {
            texts.add(node.asText());
        }
    }

    /** A structure the provider reads as JSON text (tool definitions, schemas, tool inputs). */
    private void json(JsonNode node) {
        if (node != null && !node.isNull() && !node.isMissingNode()) {
            texts.add(node.toString());
        }
    }
}
