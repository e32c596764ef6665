package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.util.Optional;

/** vLLM, Ollama, Groq and other servers speaking OpenAI's API: a bearer key, no default URL, no moderations. */
public final class OpenAiCompatible implements ProviderDefinition {
    @Override
    public String id() {
        return "openai-compatible";
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.empty();
    }

    @Override
    public String defaultRoutes() {
        return "POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, " + OpenAi.RESPONSES_ROUTES
                + ", GET /v1/models, GET /v1/models/*";
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.OPENAI;
    }

    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        OpenAi.bearer(apiKey, headers);
    }
}
