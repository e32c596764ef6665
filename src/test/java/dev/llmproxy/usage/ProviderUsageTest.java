package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderUsageTest {

    @Test
    void negativeNumbersCountAsNothing() {
        TokenUsage openAi = ProviderUsage.openAi(Map.of("usage.prompt_tokens", -1_000L,
                "usage.completion_tokens", -50L, "usage.prompt_tokens_details.cached_tokens", -3L)).orElseThrow();
        assertEquals(0, openAi.promptTokens());
        assertEquals(0, openAi.completionTokens());
        assertEquals(0, openAi.totalTokens());
        TokenUsage anthropic = ProviderUsage.anthropic(Map.of("usage.input_tokens", 10L,
                "usage.cache_read_input_tokens", -10L, "usage.output_tokens", -5L)).orElseThrow();
        assertEquals(10, anthropic.promptTokens(), "a negative cache read takes nothing off the input");
        assertEquals(0, anthropic.completionTokens());
    }

    @Test
    void hugeNumbersAreBoundedAndTheirSumDoesNotOverflow() {
        TokenUsage anthropic = ProviderUsage.anthropic(Map.of("usage.input_tokens", Long.MAX_VALUE,
                "usage.cache_read_input_tokens", Long.MAX_VALUE, "usage.cache_creation_input_tokens", Long.MAX_VALUE,
                "usage.output_tokens", Long.MAX_VALUE)).orElseThrow();
        assertEquals(3 * ProviderUsage.MAX_TOKENS, anthropic.promptTokens());
        assertEquals(4 * ProviderUsage.MAX_TOKENS, anthropic.totalTokens());
    }

    @Test
    void ordinaryNumbersPassAsTheyAre() {
        TokenUsage openAi = ProviderUsage.openAi(Map.of("usage.input_tokens", 120L, "usage.output_tokens", 30L,
                "usage.input_tokens_details.cached_tokens", 100L)).orElseThrow();
        assertEquals(120, openAi.promptTokens());
        assertEquals(30, openAi.completionTokens());
        assertEquals(100, openAi.cachedTokens());
    }
}
