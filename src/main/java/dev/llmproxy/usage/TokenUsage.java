package dev.llmproxy.usage;

/**
 * Tokens of one call, normalised across providers: {@code promptTokens} counts all input including cache reads
 * ({@code cachedTokens}) and cache writes ({@code cacheWriteTokens}); {@code estimated} is set when the provider
 * reported nothing and a tokenizer counted instead.
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                         boolean estimated) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, false);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
