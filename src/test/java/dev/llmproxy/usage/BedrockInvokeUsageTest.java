package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Non-streamed InvokeModel with models whose bodies are not Anthropic's or Nova's (Meta Llama, Mistral, Titan Text,
 * Cohere Command): Bedrock's {@code X-Amzn-Bedrock-Input-Token-Count} and {@code -Output-Token-Count} headers are
 * the usage; without them, the body's own counts or an estimate over its text, never an output of zero (review i15:
 * a Llama or Mistral answer was recorded with no output tokens, so a budget counted unlimited output at prompt cost).
 */
class BedrockInvokeUsageTest {
    private static final String STORY = "Once upon a time there was a proxy that counted tokens. ".repeat(200);
    private final TokenEstimator estimator = new TokenEstimator();

    private UsageMeter meter(String model) {
        return new UsageMeter(UsageDialect.BEDROCK, model, false, new Prompt(List.of("Write a long story"), 0),
                estimator);
    }

    private static Function<String, List<String>> headers(Map<String, List<String>> values) {
        return name -> values.getOrDefault(name, List.of());
    }

    private static Function<String, List<String>> counts(String input, String output) {
        return headers(Map.of(ProviderUsage.BEDROCK_INPUT_HEADER, List.of(input),
                ProviderUsage.BEDROCK_OUTPUT_HEADER, List.of(output)));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String llama(int prompt, int generation) {
        return "{\"generation\":\"" + STORY + "\",\"prompt_token_count\":" + prompt + ",\"generation_token_count\":"
                + generation + ",\"stop_reason\":\"length\"}";
    }

    private static String mistral() {
        return "{\"outputs\":[{\"text\":\"" + STORY + "\",\"stop_reason\":\"length\"}]}";
    }

    @Test
    void llamaInvokeModelOutputIsCountedFromItsBody() {
        UsageMeter meter = meter("meta.llama3-1-405b-instruct-v1:0");
        meter.jsonChunk(bytes(llama(12, 2400)));
        TokenUsage usage = meter.usage();
        assertEquals(12, usage.promptTokens(), usage.toString());
        assertEquals(2400, usage.completionTokens(), usage.toString());
        assertFalse(usage.estimated());
    }

    @Test
    void mistralInvokeModelOutputIsEstimatedFromItsTextWithoutHeaders() {
        UsageMeter meter = meter("mistral.mistral-large-2407-v1:0");
        meter.jsonChunk(bytes(mistral()));
        TokenUsage usage = meter.usage();
        assertTrue(usage.completionTokens() >= 1000, "output estimated: " + usage);
        assertTrue(usage.estimated());
    }

    @Test
    void theHeadersAreTheUsageOfABodyWithoutCounts() {
        UsageMeter meter = meter("mistral.mistral-large-2407-v1:0");
        meter.answerHeaders(counts("18", "2450"));
        meter.jsonChunk(bytes(mistral()));
        assertEquals(new TokenUsage(18, 2450, 0, 0, 0, false), meter.usage());
    }

    @Test
    void theHeadersWinOverABodyThatDisagreesAndLetOneThatAgreesTellTheCache() {
        UsageMeter lying = meter("meta.llama3-1-70b-instruct-v1:0");
        lying.answerHeaders(counts("12", "2400"));
        lying.jsonChunk(bytes(llama(12, 1)));
        assertEquals(new TokenUsage(12, 2400, 0, 0, 0, false), lying.usage(), "what Bedrock bills");

        String claude = "{\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}],\"usage\":{\"input_tokens\":14,"
                + "\"cache_read_input_tokens\":2,\"cache_creation_input_tokens\":3,\"output_tokens\":6}}";
        for (String input : new String[] {"14", "19"}) { // uncached only, or the whole prompt
            UsageMeter agreeing = meter("anthropic.claude-3-haiku-20240307-v1:0");
            agreeing.answerHeaders(counts(input, "6"));
            agreeing.jsonChunk(bytes(claude));
            assertEquals(new TokenUsage(19, 6, 2, 3, 0, false), agreeing.usage(), "the body's cache split");
        }
        UsageMeter more = meter("anthropic.claude-3-haiku-20240307-v1:0");
        more.answerHeaders(counts("14", "600"));
        more.jsonChunk(bytes(claude));
        assertEquals(new TokenUsage(14, 600, 0, 0, 0, false), more.usage());
    }

    @Test
    void hostileHeaderValuesAreIgnoredOrBounded() {
        for (String bad : new String[] {"-5", "", " ", "12.5", "1e9", "0x10", "twelve", "+3", "1,2"}) {
            assertTrue(ProviderUsage.bedrockHeaders(counts(bad, "7")).isEmpty(), bad);
            assertTrue(ProviderUsage.bedrockHeaders(counts("7", bad)).isEmpty(), bad);
        }
        assertTrue(ProviderUsage.bedrockHeaders(headers(Map.of(ProviderUsage.BEDROCK_INPUT_HEADER, List.of("3", "4"),
                ProviderUsage.BEDROCK_OUTPUT_HEADER, List.of("5")))).isEmpty(), "repeated");
        assertTrue(ProviderUsage.bedrockHeaders(headers(Map.of(ProviderUsage.BEDROCK_OUTPUT_HEADER, List.of("5"))))
                .isEmpty(), "one alone");
        TokenUsage huge = ProviderUsage.bedrockHeaders(counts("99999999999999999999999999", " 9223372036854775807 "))
                .orElseThrow();
        assertEquals(ProviderUsage.MAX_TOKENS, huge.promptTokens());
        assertEquals(ProviderUsage.MAX_TOKENS, huge.completionTokens());
        assertEquals(ProviderUsage.MAX_TOKENS * 2, huge.totalTokens(), "no overflow");

        UsageMeter meter = meter("mistral.mistral-large-2407-v1:0");
        meter.answerHeaders(counts("-1", "-2400"));
        meter.jsonChunk(bytes(mistral()));
        assertTrue(meter.usage().estimated() && meter.usage().completionTokens() >= 1000, "ignored: estimated");
    }

    @Test
    void otherDialectsDoNotReadTheHeaders() {
        UsageMeter openAi = new UsageMeter(UsageDialect.OPENAI, "gpt-4o", false, Prompt.NONE, estimator);
        openAi.answerHeaders(counts("1", "1"));
        openAi.jsonChunk(bytes("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20}}"));
        assertEquals(20, openAi.usage().completionTokens());
    }

    @Test
    void titanCountsAndCohereTextAreRead() {
        UsageMeter titan = meter("amazon.titan-text-express-v1");
        titan.jsonChunk(bytes("{\"inputTextTokenCount\":9,\"results\":[{\"tokenCount\":30,\"outputText\":\"a\"},"
                + "{\"tokenCount\":12,\"outputText\":\"b\"}]}"));
        assertEquals(new TokenUsage(9, 42, 0, 0, 0, false), titan.usage());
        UsageMeter hostile = meter("amazon.titan-text-express-v1");
        hostile.jsonChunk(bytes("{\"inputTextTokenCount\":-9,\"results\":[{\"tokenCount\":9223372036854775807},"
                + "{\"tokenCount\":9223372036854775807},{\"tokenCount\":-5}]}"));
        assertEquals(new TokenUsage(0, ProviderUsage.MAX_TOKENS, 0, 0, 0, false), hostile.usage());

        for (String body : new String[] {"{\"generations\":[{\"text\":\"" + STORY + "\"}]}",
            "{\"results\":[{\"outputText\":\"" + STORY + "\"}]}"}) {
            UsageMeter meter = meter("cohere.command-text-v14");
            meter.jsonChunk(bytes(body));
            assertTrue(meter.usage().completionTokens() >= 1000, body.substring(0, 20) + ": " + meter.usage());
        }
    }

    @Test
    void agreementNeedsTheSameOutput() {
        TokenUsage headers = new TokenUsage(10, 5, 0, 0, 0, false);
        assertEquals(headers, ProviderUsage.bedrockAgreeing(Optional.empty(), headers));
        TokenUsage body = new TokenUsage(12, 5, 2, 0, 0, false);
        assertEquals(body, ProviderUsage.bedrockAgreeing(Optional.of(body), headers));
        assertEquals(headers, ProviderUsage.bedrockAgreeing(Optional.of(new TokenUsage(12, 4, 2, 0, 0, false)),
                headers));
        assertEquals(headers, ProviderUsage.bedrockAgreeing(Optional.of(new TokenUsage(30, 5, 2, 0, 0, false)),
                headers));
    }
}
