package dev.llmproxy.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The text of a request's prompt, one entry per message or input, for a token estimate. */
public final class PromptText {
    private PromptText() {
    }

    public static List<String> of(JsonNode body) {
        List<String> parts = new ArrayList<>();
        if (body == null || !body.isObject()) {
            return parts;
        }
        addText(body.get("system"), parts);
        for (JsonNode message : body.path("messages")) {
            addText(message.get("content"), parts);
        }
        addText(body.get("prompt"), parts);
        addText(body.get("input"), parts);
        return parts;
    }

    /** A string, an array of strings, or an array of content blocks with {@code text}. */
    private static void addText(JsonNode node, List<String> parts) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            parts.add(node.asText());
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode item : node) {
                if (item.isTextual()) {
                    parts.add(item.asText());
                } else if (item.has("text")) {
                    joined.append(item.path("text").asText());
                } else if (item.has("content")) {
                    addText(item.get("content"), parts);
                }
            }
            if (!joined.isEmpty()) {
                parts.add(joined.toString());
            }
        }
    }
}
