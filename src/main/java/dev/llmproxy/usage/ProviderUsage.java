package dev.llmproxy.usage;

import java.util.Map;
import java.util.Optional;

/**
 * Turns the numbers a provider reports under {@code usage} into {@link TokenUsage}. Each number is taken within
 * 0 and {@value #MAX_TOKENS}: a provider (an OpenAI-compatible server can be anything) that reports negative usage
 * must not lower what a budget or a rate limit counts, nor overflow a sum.
 */
public final class ProviderUsage {
    static final long MAX_TOKENS = 1_000_000_000_000L;
    /** Where Google's responses put their usage. */
    static final String GEMINI = "usageMetadata";
    /** What Bedrock adds to the last event of an InvokeModelWithResponseStream stream. */
    static final String BEDROCK_METRICS = "amazon-bedrock-invocationMetrics";

    private ProviderUsage() {
    }

    /**
     * OpenAI (chat, completions, embeddings: {@code prompt_tokens}/{@code completion_tokens}; Responses API:
     * {@code input_tokens}/{@code output_tokens}, https://platform.openai.com/docs/api-reference/responses/object);
     * input counts include cached tokens, output counts include reasoning tokens.
     */
    public static Optional<TokenUsage> openAi(Map<String, Long> n) {
        Long reported = first(n, "usage.prompt_tokens", "usage.input_tokens");
        if (reported == null) {
            return Optional.empty();
        }
        long prompt = orZero(reported);
        long completion = orZero(first(n, "usage.completion_tokens", "usage.output_tokens"));
        long cached = orZero(first(n, "usage.prompt_tokens_details.cached_tokens",
                "usage.input_tokens_details.cached_tokens"));
        long reasoning = orZero(first(n, "usage.completion_tokens_details.reasoning_tokens",
                "usage.output_tokens_details.reasoning_tokens"));
        // a part cannot exceed its whole: an odd server must not make the uncached input negative
        return Optional.of(new TokenUsage(prompt, completion, Math.min(cached, prompt), 0,
                Math.min(reasoning, completion), false));
    }

    /**
     * Anthropic: {@code input_tokens} excludes cache reads and writes, which are reported separately; the
     * normalised prompt count adds them back.
     */
    public static Optional<TokenUsage> anthropic(Map<String, Long> n) {
        Long reported = n.get("usage.input_tokens");
        if (reported == null) {
            return Optional.empty();
        }
        long input = orZero(reported);
        long read = orZero(n.get("usage.cache_read_input_tokens"));
        long write = orZero(n.get("usage.cache_creation_input_tokens"));
        long output = orZero(n.get("usage.output_tokens"));
        return Optional.of(new TokenUsage(input + read + write, output, read, write, 0, false));
    }

    /**
     * Google's {@code usageMetadata} (https://ai.google.dev/api/generate-content#UsageMetadata): the prompt count
     * includes the cached content ({@code cachedContentTokenCount}) and is joined by the tool-use prompt
     * ({@code toolUsePromptTokenCount}), both billed as input; {@code candidatesTokenCount} excludes the thoughts
     * ({@code thoughtsTokenCount}), which are billed as output (https://ai.google.dev/gemini-api/docs/pricing:
     * "output price, including thinking tokens"), so the normalised output adds them, as reasoning tokens.
     */
    public static Optional<TokenUsage> gemini(Map<String, Long> n) {
        Long reported = n.get(GEMINI + ".promptTokenCount");
        if (reported == null) {
            return Optional.empty();
        }
        long prompt = sum(orZero(reported), orZero(n.get(GEMINI + ".toolUsePromptTokenCount")));
        long thoughts = orZero(n.get(GEMINI + ".thoughtsTokenCount"));
        long output = sum(orZero(n.get(GEMINI + ".candidatesTokenCount")), thoughts);
        long cached = orZero(n.get(GEMINI + ".cachedContentTokenCount"));
        return Optional.of(new TokenUsage(prompt, output, Math.min(cached, prompt), 0, thoughts, false));
    }

    /**
     * Bedrock: Converse's {@code usage}
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html),
     * whose {@code inputTokens} excludes the cache reads and writes as Anthropic's does; else the model's own body
     * (InvokeModel with Claude: Anthropic's usage); else the {@code amazon-bedrock-invocationMetrics} of a stream.
     */
    public static Optional<TokenUsage> bedrock(Map<String, Long> n) {
        Long converse = n.get("usage.inputTokens");
        if (converse != null) {
            long read = orZero(n.get("usage.cacheReadInputTokens"));
            long write = orZero(n.get("usage.cacheWriteInputTokens"));
            return Optional.of(new TokenUsage(sum(sum(orZero(converse), read), write),
                    orZero(n.get("usage.outputTokens")), read, write, 0, false));
        }
        Optional<TokenUsage> anthropic = anthropic(n);
        if (anthropic.isPresent()) {
            return anthropic;
        }
        Long metered = n.get(BEDROCK_METRICS + ".inputTokenCount");
        if (metered == null) {
            return Optional.empty();
        }
        long read = orZero(n.get(BEDROCK_METRICS + ".cacheReadInputTokenCount"));
        long write = orZero(n.get(BEDROCK_METRICS + ".cacheWriteInputTokenCount"));
        return Optional.of(new TokenUsage(sum(sum(orZero(metered), read), write),
                orZero(n.get(BEDROCK_METRICS + ".outputTokenCount")), read, write, 0, false));
    }

    /** Two bounded counts added, bounded again. */
    private static long sum(long a, long b) {
        return Math.min(a + b, MAX_TOKENS);
    }

    private static Long first(Map<String, Long> n, String a, String b) {
        Long value = n.get(a);
        return value != null ? value : n.get(b);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : Math.min(Math.max(value, 0), MAX_TOKENS);
    }
}
