package dev.llmproxy.token;

import dev.llmproxy.DomainException;
import java.util.Optional;

/**
 * A proxy token could not be checked because the database did not answer (and no check recent enough was at hand,
 * see {@link TokenGate}): 503 {@code database_unavailable}, try again shortly.
 */
public final class TokenCheckUnavailableException extends DomainException {
    static final long RETRY_AFTER_SECONDS = 2;
    private final transient TokenGrant grant;

    TokenCheckUnavailableException(TokenGrant grant, Throwable cause) {
        super(Kind.UNAVAILABLE, "database_unavailable", "The proxy token could not be checked (the database did not"
                + " answer); try again shortly", RETRY_AFTER_SECONDS);
        this.grant = grant;
        initCause(cause);
    }

    /** The token, when it was recognised (a max_requests token whose count needs the database). */
    public Optional<TokenGrant> grant() {
        return Optional.ofNullable(grant);
    }
}
