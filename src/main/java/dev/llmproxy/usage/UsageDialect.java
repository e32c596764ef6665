package dev.llmproxy.usage;

/**
 * The shapes in which providers report usage: OpenAI's and Anthropic's {@code usage}, and Google's
 * {@code usageMetadata} (the Gemini API's GenerateContentResponse, which Vertex AI's Gemini models answer too).
 */
public enum UsageDialect { OPENAI, ANTHROPIC, GEMINI }
