package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * What a request asks the provider to read (docs/fuzzing.md): every text counted is a string of the request or the
 * JSON of one of its parts (nothing invented), the text does not depend on the provider (only image rules do), and
 * the fixed tokens are whole images and documents, at most one per object in the request.
 */
class PromptTextFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest
    void countsOnlyWhatTheRequestContains(FuzzedDataProvider data) {
        JsonNode body;
        try {
            body = JSON.readTree(data.consumeRemainingAsBytes());
        } catch (IOException e) {
            return;
        }
        Prompt openAi = PromptText.of(body, false);
        Prompt anthropic = PromptText.of(body, true);

        assertEquals(openAi.texts(), anthropic.texts(), "the texts do not depend on the provider");
        if (body == null || !body.isObject()) {
            assertEquals(Prompt.NONE, openAi);
            return;
        }
        Set<String> parts = new HashSet<>();
        long objects = collect(body, parts);
        for (String text : openAi.texts()) {
            assertTrue(parts.contains(text), "a text that is not in the request: " + text);
        }
        assertTrue(openAi.fixedTokens() >= 0 && openAi.fixedTokens() <= objects * PromptText.OPENAI_IMAGE_MAX);
        assertTrue(anthropic.fixedTokens() >= 0
                && anthropic.fixedTokens() <= objects * PromptText.ANTHROPIC_IMAGE_MAX);
        assertEquals(0, openAi.fixedTokens() % 5, "85 and 1445 are multiples of 5");
        assertEquals(0, anthropic.fixedTokens() % PromptText.ANTHROPIC_IMAGE_MAX);
    }

    /** Every string value and the JSON text of every node; returns the number of objects. */
    private static long collect(JsonNode node, Set<String> parts) {
        parts.add(node.toString());
        if (node.isTextual()) {
            parts.add(node.textValue());
        }
        long objects = node.isObject() ? 1 : 0;
        for (JsonNode child : node) {
            objects += collect(child, parts);
        }
        return objects;
    }
}
