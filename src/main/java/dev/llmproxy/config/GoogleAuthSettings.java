package dev.llmproxy.config;

/**
 * How the proxy gets Google OAuth 2.0 access tokens for Vertex AI upstreams whose key is a service account's JSON key
 * (docs/proxy.md, "Google Vertex AI"). The token endpoint is the key's own {@code token_uri}.
 *
 * @param timeoutMs the longest a token request may take, connection included; past it the call waiting for the
 *                  token is refused with 503 {@code upstream_credentials_unavailable}
 */
public record GoogleAuthSettings(int timeoutMs) {
    public static final String VERTEX_AI_TOKEN_TIMEOUT_MS = "vertex-ai-token-timeout-ms";

    static GoogleAuthSettings read(SettingsReader reader) {
        return new GoogleAuthSettings(reader.integer(VERTEX_AI_TOKEN_TIMEOUT_MS, 10_000, 100, 120_000));
    }
}
