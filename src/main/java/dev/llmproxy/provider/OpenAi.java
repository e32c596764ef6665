package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.util.Optional;

/** OpenAI's own API (https://platform.openai.com/docs/api-reference): a bearer key. */
public final class OpenAi implements ProviderDefinition {
    /**
     * The Responses API: create, retrieve, cancel, delete and list input items
     * (https://platform.openai.com/docs/api-reference/responses), which vLLM, Ollama and other OpenAI-compatible
     * servers serve too.
     */
    static final String RESPONSES_ROUTES = "POST /v1/responses, GET /v1/responses/*,"
            + " POST /v1/responses/*/cancel, DELETE /v1/responses/*, GET /v1/responses/*/input_items";

    @Override
    public String id() {
        return "openai";
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.of("https://api.openai.com");
    }

    @Override
    public String defaultRoutes() {
        return "POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, " + RESPONSES_ROUTES
                + ", POST /v1/moderations, GET /v1/models, GET /v1/models/*";
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.OPENAI;
    }

    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        bearer(apiKey, headers);
    }

    static void bearer(String apiKey, UpstreamHeaders headers) {
        headers.put("Authorization", "Bearer " + apiKey);
    }
}
