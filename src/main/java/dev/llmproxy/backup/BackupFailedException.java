package dev.llmproxy.backup;

import dev.llmproxy.DomainException;

/** The snapshot could not be written; the message says where and why. */
public final class BackupFailedException extends DomainException {
    public BackupFailedException(String message, Throwable cause) {
        super(Kind.UNAVAILABLE, "backup_failed", message);
        initCause(cause);
    }
}
