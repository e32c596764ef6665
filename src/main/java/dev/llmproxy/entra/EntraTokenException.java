package dev.llmproxy.entra;

import dev.llmproxy.DomainException;

/**
 * No access token could be had for an upstream's Entra ID application. The message names what happened in the
 * proxy's words (the OAuth error code at most), never the secret nor the endpoint's description, which goes to the
 * log.
 */
public final class EntraTokenException extends DomainException {
    private EntraTokenException(Kind kind, String code, String message, Long retryAfterSeconds) {
        super(kind, code, message, retryAfterSeconds);
    }

    /** The token endpoint answered 400 or 401: the tenant, client id or secret is wrong, or the secret expired. */
    public static EntraTokenException rejected(String oauthError) {
        return new EntraTokenException(Kind.UPSTREAM_FAILED, "upstream_credentials_rejected", "Microsoft Entra ID"
                + " refused the client credentials of this project's Azure OpenAI upstream (" + oauthError + "); an"
                + " administrator must correct the upstream's api_key (entra:<tenant-id>:<client-id>:<client-secret>)",
                null);
    }

    /** The token endpoint could not be reached, did not answer in time, failed, or answered what is not a token. */
    public static EntraTokenException unavailable(String what) {
        return new EntraTokenException(Kind.UNAVAILABLE, "upstream_credentials_unavailable", "No Microsoft Entra ID"
                + " access token could be had for this project's Azure OpenAI upstream: the token endpoint " + what
                + "; try again shortly", 5L);
    }
}
