package dev.llmproxy.usage;

/**
 * The shapes in which providers report usage: OpenAI's and Anthropic's {@code usage}, and Google's
 * {@code usageMetadata} (the Gemini API's GenerateContentResponse, which Vertex AI's Gemini models answer too), and
 * Bedrock's.
 */
public enum UsageDialect {
    OPENAI, ANTHROPIC, GEMINI,
    /**
     * Amazon Bedrock: Converse's {@code usage} ({@code inputTokens}, {@code outputTokens},
     * {@code cacheReadInputTokens}, {@code cacheWriteInputTokens}; ConverseStream's {@code metadata} event),
     * InvokeModel's token count headers and its body of the model's own API (Anthropic's {@code usage} for Claude,
     * Llama's and Titan's counts) and its stream's {@code chunk} events, and the
     * {@code amazon-bedrock-invocationMetrics} Bedrock adds to a stream's last chunk.
     */
    BEDROCK
}
