package dev.llmproxy.token;

import dev.llmproxy.DomainException;

/** Why a proxy token was not accepted; the codes are stable and documented in docs/proxy.md. */
public final class TokenRefusedException extends DomainException {

    public enum Reason {
        MISSING(Kind.UNAUTHORIZED, "token_missing", "No proxy token: send it as 'Authorization: Bearer <token>',"
                + " 'x-api-key' or 'api-key'"),
        INVALID(Kind.UNAUTHORIZED, "token_invalid", "The proxy token is not valid"),
        EXPIRED(Kind.UNAUTHORIZED, "token_expired", "The proxy token has expired"),
        REVOKED(Kind.UNAUTHORIZED, "token_revoked", "The proxy token has been revoked"),
        PROJECT_INACTIVE(Kind.FORBIDDEN, "project_inactive", "The token's project is deactivated"),
        QUOTA_EXHAUSTED(Kind.RATE_LIMITED, "max_requests_exceeded", "The proxy token has used all its requests");

        private final Kind kind;
        private final String code;
        private final String message;

        Reason(Kind kind, String code, String message) {
            this.kind = kind;
            this.code = code;
            this.message = message;
        }
    }

    private final Reason reason;
    private final transient TokenGrant grant;

    public TokenRefusedException(Reason reason) {
        this(reason, null);
    }

    /** @param grant the token refused, when it was recognised (expired, revoked, inactive, spent) */
    public TokenRefusedException(Reason reason, TokenGrant grant) {
        super(reason.kind, reason.code, reason.message);
        this.reason = reason;
        this.grant = grant;
    }

    public java.util.Optional<TokenGrant> grant() {
        return java.util.Optional.ofNullable(grant);
    }

    public Reason reason() {
        return reason;
    }
}
