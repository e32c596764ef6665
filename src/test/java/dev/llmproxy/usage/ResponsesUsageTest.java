package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Responses API's usage (https://platform.openai.com/docs/api-reference/responses-streaming): in a stream only
 * the last event's response has it, whichever way the response ended; in a body it is the top-level usage.
 */
class ResponsesUsageTest {
    static final String USAGE = "{\"input_tokens\":13,\"input_tokens_details\":{\"cached_tokens\":4},"
            + "\"output_tokens\":7,\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":20}";
    private final TokenEstimator estimator = new TokenEstimator();

    private UsageMeter meter() {
        return new UsageMeter(UsageDialect.OPENAI, "gpt-5", false, new Prompt(List.of("Say hello"), 0), estimator);
    }

    static String event(String type, String response) {
        return "{\"type\":\"" + type + "\",\"sequence_number\":0,\"response\":" + response + "}";
    }

    static String response(String status, String usage) {
        return "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"" + status + "\",\"model\":\"gpt-5-2025-08-07\","
                + "\"output\":[],\"usage\":" + usage + "}";
    }

    @Test
    void theLastEventsUsageIsTheCallsWhetherCompletedIncompleteOrFailed() {
        for (String end : List.of("response.completed", "response.incomplete", "response.failed")) {
            UsageMeter meter = meter();
            String created = event("response.created", response("in_progress", "null"));
            assertEquals(created, meter.sseEvent("response.created", created), "passed on unchanged");
            meter.sseEvent("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}");
            String last = event(end, response(end.substring(9), USAGE));
            assertEquals(last, meter.sseEvent(end, last));
            assertEquals(new TokenUsage(13, 7, 4, 0, 2, false), meter.usage(), end);
            assertEquals("gpt-5-2025-08-07", meter.model(), "the model that answered, from the response");
        }
    }

    @Test
    void usageInAnEventThatDoesNotEndTheStreamIsNotTheCalls() {
        UsageMeter meter = meter();
        meter.sseEvent("response.in_progress", event("response.in_progress", response("in_progress",
                "{\"input_tokens\":99,\"output_tokens\":99}")));
        meter.sseEvent("response.completed", event("response.completed", response("completed", USAGE)));
        assertEquals(new TokenUsage(13, 7, 4, 0, 2, false), meter.usage());
    }

    @Test
    void aStreamWithoutUsageIsEstimatedFromItsTextDeltas() {
        UsageMeter meter = meter();
        meter.sseEvent("response.created", event("response.created", response("in_progress", "null")));
        meter.sseEvent("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"delta\":"
                + "\"Hello there, how are you today?\"}");
        meter.sseEvent("response.failed", event("response.failed", response("failed", "null")));
        TokenUsage usage = meter.usage();
        assertTrue(usage.estimated(), usage.toString());
        assertTrue(usage.promptTokens() > 0 && usage.completionTokens() > 0, usage.toString());
    }

    @Test
    void aBodysUsageIsReadWithItsCachedAndReasoningTokens() {
        UsageMeter meter = meter();
        byte[] body = response("completed", USAGE).getBytes(StandardCharsets.UTF_8);
        for (byte b : body) {
            meter.jsonChunk(new byte[] {b}); // a byte at a time
        }
        assertEquals(new TokenUsage(13, 7, 4, 0, 2, false), meter.usage());
        assertEquals("gpt-5-2025-08-07", meter.model());
    }

    @Test
    void chatCompletionsReasoningTokensAreReadToo() {
        UsageMeter meter = meter();
        meter.jsonChunk(("{\"model\":\"o3\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":50,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":30}}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(new TokenUsage(20, 50, 0, 0, 30, false), meter.usage());
    }

    @Test
    void aPartIsNeverMoreThanItsWhole() {
        TokenUsage odd = ProviderUsage.openAi(java.util.Map.of("usage.input_tokens", 5L, "usage.output_tokens", 3L,
                "usage.input_tokens_details.cached_tokens", 9L, "usage.output_tokens_details.reasoning_tokens", 8L))
                .orElseThrow();
        assertEquals(new TokenUsage(5, 3, 5, 0, 3, false), odd);
    }

    @Test
    void reasoningTokensAreBilledOnceAsTheOutputTheyArePartOf() {
        Price price = new Price("gpt-5", 1_250_000, 125_000L, null, 10_000_000, "test");
        // 9 uncached x 1.25 + 4 cached x 0.125 + 7 out x 10 (2 of them reasoning, not again) = 81.75, half up
        assertEquals(82, price.costMicros(new TokenUsage(13, 7, 4, 0, 2, false)));
        assertFalse(new TokenUsage(13, 7, 4, 0, 2, false).estimated());
        assertEquals(20, new TokenUsage(13, 7, 4, 0, 2, false).totalTokens());
    }
}
