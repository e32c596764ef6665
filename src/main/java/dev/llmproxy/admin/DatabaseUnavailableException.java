package dev.llmproxy.admin;

import dev.llmproxy.DomainException;

/** An admin call failed on the database while the database does not answer: 503, try again, not an incident. */
final class DatabaseUnavailableException extends DomainException {
    private static final long RETRY_AFTER_SECONDS = 5;

    DatabaseUnavailableException(Throwable cause) {
        super(Kind.UNAVAILABLE, "database_unavailable", "The database does not answer; try again shortly",
                RETRY_AFTER_SECONDS);
        initCause(cause);
    }
}
