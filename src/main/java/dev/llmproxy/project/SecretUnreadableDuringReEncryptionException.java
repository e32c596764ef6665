package dev.llmproxy.project;

import dev.llmproxy.DomainException;

/**
 * A stored provider key does not open, so {@code re-encrypt} re-sealed nothing (one transaction): the row was altered
 * or restored from elsewhere. Replace that upstream's key ({@code PATCH}), then run it again.
 */
public final class SecretUnreadableDuringReEncryptionException extends DomainException {
    SecretUnreadableDuringReEncryptionException(Upstream upstream, SecretUnreadableException cause) {
        super(Kind.CONFLICT, "secret_unreadable", "Nothing was re-encrypted: the provider key of upstream '"
                + upstream.id() + "' of project '" + upstream.projectId() + "' cannot be opened ("
                + cause.getMessage() + "). Set a new api_key on it, then re-encrypt again.");
    }
}
