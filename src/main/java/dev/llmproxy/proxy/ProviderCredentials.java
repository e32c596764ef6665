package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.token.TokenGrant;
import org.eclipse.jetty.http.HttpFields;

/** Puts the project's key where its provider expects it. */
final class ProviderCredentials {
    private ProviderCredentials() {
    }

    static void apply(TokenGrant grant, ProxySettings settings, HttpFields.Mutable headers) {
        switch (grant.provider()) {
            case ANTHROPIC -> {
                headers.put("x-api-key", grant.apiKey());
                if (!headers.contains("anthropic-version")) {
                    headers.put("anthropic-version", settings.anthropicVersion());
                }
            }
            case OPENAI, OPENAI_COMPATIBLE -> headers.put("Authorization", "Bearer " + grant.apiKey());
        }
    }
}
