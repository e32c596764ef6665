package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void bedrockConverseUsageAddsTheCacheToTheInputAndFallsBackToTheModelsOwn() {
        TokenUsage converse = ProviderUsage.bedrock(Map.of("usage.inputTokens", 12L, "usage.outputTokens", 5L,
                "usage.cacheReadInputTokens", 6L, "usage.cacheWriteInputTokens", 4L, "usage.totalTokens", 27L))
                .orElseThrow();
        assertEquals(22, converse.promptTokens());
        assertEquals(5, converse.completionTokens());
        assertEquals(6, converse.cachedTokens());
        assertEquals(4, converse.cacheWriteTokens());
        TokenUsage claude = ProviderUsage.bedrock(Map.of("usage.input_tokens", 14L, "usage.output_tokens", 6L,
                "usage.cache_read_input_tokens", 2L)).orElseThrow();
        assertEquals(16, claude.promptTokens());
        TokenUsage metrics = ProviderUsage.bedrock(Map.of("amazon-bedrock-invocationMetrics.inputTokenCount", 9L,
                "amazon-bedrock-invocationMetrics.outputTokenCount", 3L)).orElseThrow();
        assertEquals(9, metrics.promptTokens());
        assertEquals(3, metrics.completionTokens());
        assertTrue(ProviderUsage.bedrock(Map.of("usage.outputTokens", 3L)).isEmpty());
        TokenUsage huge = ProviderUsage.bedrock(Map.of("usage.inputTokens", Long.MAX_VALUE,
                "usage.cacheReadInputTokens", Long.MAX_VALUE, "usage.cacheWriteInputTokens", -5L)).orElseThrow();
        assertEquals(ProviderUsage.MAX_TOKENS, huge.promptTokens());
    }
}
