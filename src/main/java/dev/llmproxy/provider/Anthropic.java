package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.util.Optional;

/**
 * Anthropic's Messages API (https://docs.anthropic.com/en/api/messages): the key in {@code x-api-key} and an
 * {@code anthropic-version}, the caller's or the configured one.
 */
public final class Anthropic implements ProviderDefinition {
    @Override
    public String id() {
        return "anthropic";
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.of("https://api.anthropic.com");
    }

    @Override
    public String defaultRoutes() {
        return "POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models, GET /v1/models/*";
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.ANTHROPIC;
    }

    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        headers.put("x-api-key", apiKey);
        if (!headers.has("anthropic-version")) {
            headers.put("anthropic-version", settings.anthropicVersion());
        }
    }
}
