package dev.llmproxy.accesstoken;

import dev.llmproxy.provider.TokenCredential;

/** Where access tokens come from; blocking. Tests put a fake or a mock endpoint here. */
public interface TokenEndpoint {
    /** An access token and how long it lives. */
    record Issued(String accessToken, long lifetimeSeconds) {
        @Override
        public String toString() {
            return "Issued[lifetime " + lifetimeSeconds + " s]"; // never the token
        }
    }

    /**
     * Asks for a token for {@code credential}; throws {@link AccessTokenException} when the endpoint refuses, fails
     * or answers what is not a token.
     */
    Issued fetch(TokenCredential credential);
}
