package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageMeterTest {
    private final TokenEstimator estimator = new TokenEstimator();

    private UsageMeter openAi(boolean injected) {
        return new UsageMeter(UsageDialect.OPENAI, "gpt-4o", injected, new Prompt(List.of("Say hello"), 0), estimator);
    }

    @Test
    void jsonUsageIsReadFromABodySplitAnywhere() {
        String body = "{\"id\":\"x\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"message\":{\"content\":\"Hi\"}}],"
                + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":100}}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        UsageMeter meter = openAi(false);
        for (int i = 0; i < bytes.length; i += 5) { // five bytes at a time, splitting tokens
            byte[] part = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 5));
            meter.jsonChunk(part);
        }
        assertEquals(new TokenUsage(120, 7, 100, 0, 0, false), meter.usage());
        assertEquals("gpt-4o-2024-08-06", meter.model());
    }

    @Test
    void injectedUsageIsRemovedFromTheStreamAndCounted() {
        UsageMeter meter = openAi(true);
        String chunk = "{\"id\":\"c\",\"model\":\"gpt-4o\",\"usage\":null,\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}";
        String passed = meter.sseEvent(null, chunk);
        assertFalse(passed.contains("usage"), passed);
        assertEquals("{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}", passed);
        assertNull(meter.sseEvent(null, "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}"),
                "the usage-only chunk is dropped");
        assertEquals("[DONE]", meter.sseEvent(null, "[DONE]"));
        assertEquals(new TokenUsage(9, 2, 0, 0, 0, false), meter.usage());
    }

    @Test
    void streamedNumbersPastALongDoNotWrap() {
        UsageMeter meter = openAi(false);
        meter.sseEvent(null, "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":18446744073709551621,"
                + "\"completion_tokens\":-18446744073709551621}}");
        assertEquals(new TokenUsage(ProviderUsage.MAX_TOKENS, 0, 0, 0, 0, false), meter.usage(),
                "2^64 + 5 is the most there can be, not 5; its negative is nothing");
    }

    @Test
    void askedForUsageIsPassedOnUnchanged() {
        UsageMeter meter = openAi(false);
        String usageChunk = "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}";
        assertEquals(usageChunk, meter.sseEvent(null, usageChunk));
    }

    @Test
    void anthropicStreamUsageAddsCacheTokensToThePrompt() {
        UsageMeter meter = new UsageMeter(UsageDialect.ANTHROPIC, "claude-sonnet-4-5", false, Prompt.NONE, estimator);
        meter.sseEvent("message_start", "{\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":20,"
                + "\"output_tokens\":1}}}");
        meter.sseEvent("message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":42}}");
        assertEquals(new TokenUsage(130, 42, 100, 20, 0, false), meter.usage());
        assertEquals("claude-sonnet-4-5-20250929", meter.model());
    }

    @Test
    void withoutProviderUsageTheTokenizerEstimatesAndSaysSo() {
        UsageMeter meter = openAi(false);
        meter.sseEvent(null, "{\"choices\":[{\"delta\":{\"content\":\"Hello there, how are you today?\"}}]}");
        TokenUsage usage = meter.usage();
        assertTrue(usage.estimated());
        assertTrue(usage.completionTokens() >= 6 && usage.completionTokens() <= 9, "tokens: " + usage);
        assertTrue(usage.promptTokens() > 2);
    }

    /** Found by UsageMeterFuzzTest: an event with content after its JSON was read in part and could be dropped. */
    @Test
    void anEventThatIsNotOneJsonValueIsPassedAsItIsAndNotCounted() {
        UsageMeter meter = openAi(true);
        String event = "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}} trailing";
        assertEquals(event, meter.sseEvent(null, event));
        assertTrue(meter.usage().estimated(), "the half-read numbers are not the provider's count");
    }

    /** Only the top-level member the provider adds is removed; one deeper down is the caller's (a tool's output). */
    @Test
    void onlyTheTopLevelNullUsageIsRemoved() {
        UsageMeter meter = openAi(true);
        String event = "{\"choices\":[{\"delta\":{\"tool\":{\"usage\":null}}}], \"usage\" : null }";
        assertEquals("{\"choices\":[{\"delta\":{\"tool\":{\"usage\":null}}}] }", meter.sseEvent(null, event));
        String inAString = "{\"usage\":null,\"a\":\"\\\"usage\\\":null\"}";
        assertEquals("{\"a\":\"\\\"usage\\\":null\"}", meter.sseEvent(null, inAString));
    }

    @Test
    void bedrockStreamsAreReadMessageByMessage() {
        UsageMeter converse = new UsageMeter(UsageDialect.BEDROCK, "m", false, Prompt.NONE, estimator);
        converse.eventStreamMessage("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}".getBytes());
        converse.eventStreamMessage("metadata", "{\"usage\":{\"inputTokens\":12,\"outputTokens\":3}}".getBytes());
        converse.eventStreamMessage("metadata", "not json".getBytes());
        assertEquals(12, converse.usage().promptTokens());
        assertEquals(3, converse.usage().completionTokens());
        assertFalse(converse.usage().estimated());

        UsageMeter invoke = new UsageMeter(UsageDialect.BEDROCK, "m", false, Prompt.NONE, estimator);
        for (String event : new String[] {
            "{\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":14,"
                + "\"output_tokens\":1}}}",
            "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":7}}",
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":14,"
                + "\"outputTokenCount\":7}}"}) {
            String bytes = java.util.Base64.getEncoder().encodeToString(event.getBytes());
            invoke.eventStreamMessage("chunk", ("{\"bytes\":\"" + bytes + "\"}").getBytes());
        }
        invoke.eventStreamMessage("chunk", "{\"bytes\":\"%%% not base64\"}".getBytes());
        assertEquals(14, invoke.usage().promptTokens());
        assertEquals(7, invoke.usage().completionTokens());
        assertEquals("m", invoke.model(), "the path's model id, which Bedrock bills, not Anthropic's name");

        UsageMeter body = new UsageMeter(UsageDialect.BEDROCK, "m", false, Prompt.NONE, estimator);
        body.jsonChunk(("{\"output\":{\"message\":{\"content\":[{\"text\":\"Hello\"}]}},\"usage\":{"
                + "\"inputTokens\":12,\"outputTokens\":5,\"cacheReadInputTokens\":6}}").getBytes());
        assertEquals(18, body.usage().promptTokens());
        assertEquals(6, body.usage().cachedTokens());
    }
}
