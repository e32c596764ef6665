package dev.llmproxy.usage;

import java.util.Map;
import java.util.Optional;

/** Turns the numbers a provider reports under {@code usage} into {@link TokenUsage}. */
public final class ProviderUsage {
    private ProviderUsage() {
    }

    /**
     * OpenAI (chat, completions, embeddings: {@code prompt_tokens}/{@code completion_tokens}; Responses API:
     * {@code input_tokens}/{@code output_tokens}); input counts include cached tokens.
     */
    public static Optional<TokenUsage> openAi(Map<String, Long> n) {
        Long prompt = first(n, "usage.prompt_tokens", "usage.input_tokens");
        if (prompt == null) {
            return Optional.empty();
        }
        long completion = orZero(first(n, "usage.completion_tokens", "usage.output_tokens"));
        long cached = orZero(first(n, "usage.prompt_tokens_details.cached_tokens",
                "usage.input_tokens_details.cached_tokens"));
        return Optional.of(new TokenUsage(prompt, completion, cached, 0, false));
    }

    /**
     * Anthropic: {@code input_tokens} excludes cache reads and writes, which are reported separately; the
     * normalised prompt count adds them back.
     */
    public static Optional<TokenUsage> anthropic(Map<String, Long> n) {
        Long input = n.get("usage.input_tokens");
        if (input == null) {
            return Optional.empty();
        }
        long read = orZero(n.get("usage.cache_read_input_tokens"));
        long write = orZero(n.get("usage.cache_creation_input_tokens"));
        long output = orZero(n.get("usage.output_tokens"));
        return Optional.of(new TokenUsage(input + read + write, output, read, write, false));
    }

    private static Long first(Map<String, Long> n, String a, String b) {
        Long value = n.get(a);
        return value != null ? value : n.get(b);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
