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

    private static Long first(Map<String, Long> n, String a, String b) {
        Long value = n.get(a);
        return value != null ? value : n.get(b);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : Math.min(Math.max(value, 0), MAX_TOKENS);
    }
}
