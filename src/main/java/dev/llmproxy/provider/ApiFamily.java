package dev.llmproxy.provider;

import dev.llmproxy.usage.UsageDialect;

/**
 * The shape of the requests a provider takes: an upstream of one family can serve a project of the same family
 * unchanged (routing between upstreams forwards requests as they are). The family also says how usage is reported.
 */
public enum ApiFamily {
    /** OpenAI's API at {@code /v1}: OpenAI and every OpenAI-compatible server. */
    OPENAI(UsageDialect.OPENAI),
    /** Anthropic's Messages API. */
    ANTHROPIC(UsageDialect.ANTHROPIC),
    /** Azure OpenAI: OpenAI's bodies and usage under {@code /openai/deployments/{deployment}} and {@code /openai/v1}. */
    AZURE_OPENAI(UsageDialect.OPENAI),
    /**
     * Google's Gemini API: GenerateContentRequest bodies under {@code /v1beta/models/{model}:…}, usage in
     * {@code usageMetadata} (its OpenAI-compatible paths report OpenAI's usage: {@link ProviderDefinition#usage}).
     */
    GEMINI(UsageDialect.GEMINI),
    /**
     * Google Vertex AI: Gemini's bodies and usage under {@code /v1/projects/{project}/locations/{location}/…}, beside
     * Anthropic's and OpenAI's on their own paths there ({@link ProviderDefinition#usage}).
     */
    VERTEX_AI(UsageDialect.GEMINI),
    /**
     * Amazon Bedrock's Runtime API: Converse bodies (usage in {@code usage.inputTokens…}) and the model providers'
     * own bodies (InvokeModel: Anthropic's Messages API for Claude) under {@code /model/{modelId}/…}, streams as AWS
     * event streams.
     */
    BEDROCK(UsageDialect.BEDROCK);

    private final UsageDialect usage;

    ApiFamily(UsageDialect usage) {
        this.usage = usage;
    }

    /** How the provider reports usage in bodies and streams (on the family's own paths). */
    public UsageDialect usage() {
        return usage;
    }

    /** Whether prompts are read the Anthropic way ({@code system} beside {@code messages}). */
    public boolean anthropicPrompt() {
        return this == ANTHROPIC;
    }
}
