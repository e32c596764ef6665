package dev.llmproxy.accesstoken;

import dev.llmproxy.DomainException;
import dev.llmproxy.provider.TokenCredential;

/**
 * No access token could be had for an upstream's credentials. The message names what happened in the proxy's words
 * (the OAuth error code at most), never the secret nor the endpoint's description, which goes to the log.
 */
public final class AccessTokenException extends DomainException {
    private AccessTokenException(Kind kind, String code, String message, Long retryAfterSeconds) {
        super(kind, code, message, retryAfterSeconds);
    }

    /** The token endpoint answered 400 or 401: the credentials are wrong, revoked or expired. */
    public static AccessTokenException rejected(TokenCredential credential, String oauthError) {
        return new AccessTokenException(Kind.UPSTREAM_FAILED, "upstream_credentials_rejected", credential.issuer()
                + " refused the credentials of this project's " + credential.upstream() + " upstream (" + oauthError
                + "); an administrator must correct the upstream's api_key (" + credential.keyForm() + ")", null);
    }

    /** The token endpoint could not be reached, did not answer in time, failed, or answered what is not a token. */
    public static AccessTokenException unavailable(TokenCredential credential, String what) {
        return new AccessTokenException(Kind.UNAVAILABLE, "upstream_credentials_unavailable", "No "
                + credential.issuer() + " access token could be had for this project's " + credential.upstream()
                + " upstream: the token endpoint " + what + "; try again shortly", 5L);
    }
}
