package dev.llmproxy.usage;

/**
 * Tokens of one call, normalised across providers: {@code promptTokens} counts all input including cache reads
 * ({@code cachedTokens}) and cache writes ({@code cacheWriteTokens}); {@code completionTokens} counts all output
 * including the model's hidden reasoning ({@code reasoningTokens}, a part of it, billed as output by OpenAI:
 * https://platform.openai.com/docs/guides/reasoning); {@code estimated} is set when the provider reported nothing
 * and a tokenizer counted instead.
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                         long reasoningTokens, boolean estimated) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, false);

    /** A tokenizer's count: no cache or reasoning split is known. */
    public static TokenUsage estimate(long promptTokens, long completionTokens) {
        return new TokenUsage(promptTokens, completionTokens, 0, 0, 0, true);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** The same counts, flagged as possibly incomplete (part of the answer was not read). */
    public TokenUsage flaggedEstimated() {
        return new TokenUsage(promptTokens, completionTokens, cachedTokens, cacheWriteTokens, reasoningTokens, true);
    }
}
