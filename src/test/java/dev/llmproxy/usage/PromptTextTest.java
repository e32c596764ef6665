package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PromptTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenEstimator estimator = new TokenEstimator();

    private Prompt openAi(String json) throws Exception {
        return PromptText.of(JSON.readTree(json), false);
    }

    @Test
    void toolDefinitionsInstructionsAndSchemasCountAsInput() throws Exception {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\""
                + "Look up the weather for a city in great detail ".repeat(20) + "\",\"parameters\":{\"type\":"
                + "\"object\"}}}]";
        Prompt bare = openAi("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Prompt withTools = openAi("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":" + tools + "}");
        long difference = estimator.countPrompt("gpt-4o", withTools) - estimator.countPrompt("gpt-4o", bare);
        assertTrue(difference > 150, "the tool definition is billed: " + difference);

        Prompt responses = openAi("{\"instructions\":\"Answer as a pirate\",\"input\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"Where is the treasure?\"}]}],"
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}}");
        assertTrue(responses.texts().contains("Answer as a pirate"), responses.texts().toString());
        assertTrue(responses.texts().contains("Where is the treasure?"), responses.texts().toString());
        assertTrue(responses.texts().stream().anyMatch(t -> t.contains("json_schema")), responses.texts().toString());
    }

    @Test
    void imagesCountByTheProvidersRule() throws Exception {
        Prompt high = openAi("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What"
                + " is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}");
        assertEquals(PromptText.OPENAI_IMAGE_MAX, high.fixedTokens());
        Prompt low = openAi("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"https://x/y.png\",\"detail\":\"low\"}}]}]}");
        assertEquals(PromptText.OPENAI_LOW_DETAIL, low.fixedTokens());
        Prompt anthropic = PromptText.of(JSON.readTree("{\"system\":\"Be brief\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"AAAA\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x\"}}]}]}"), true);
        assertEquals(2L * PromptText.ANTHROPIC_IMAGE_MAX, anthropic.fixedTokens());
        assertTrue(anthropic.texts().contains("Be brief"));
    }

    @Test
    void toolCallsAndResultsInTheConversationCount() throws Exception {
        Prompt p = openAi("{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"content\":\"sunny\"}]}");
        assertTrue(p.texts().contains("{\"city\":\"Paris\"}"), p.texts().toString());
        assertTrue(p.texts().contains("sunny"));
    }
}
