package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.routing.UpstreamTarget;
import org.eclipse.jetty.http.HttpFields;

/** Puts an upstream's key where its provider expects it. */
final class ProviderCredentials {
    private ProviderCredentials() {
    }

    static void apply(UpstreamTarget target, ProxySettings settings, HttpFields.Mutable headers) {
        switch (target.provider()) {
            case ANTHROPIC -> {
                headers.put("x-api-key", target.apiKey());
                if (!headers.contains("anthropic-version")) {
                    headers.put("anthropic-version", settings.anthropicVersion());
                }
            }
            case OPENAI, OPENAI_COMPATIBLE -> headers.put("Authorization", "Bearer " + target.apiKey());
        }
    }
}
