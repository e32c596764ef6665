package dev.llmproxy.project;

/**
 * The database was sealed with a master key this instance does not hold: start-up stops (issuing tokens the other
 * instances consider invalid, or failing every call on an unreadable provider key, would be worse). The message
 * names the key ids involved and how to fix it; it never holds key material.
 */
public final class MasterKeyMismatchException extends RuntimeException {
    public MasterKeyMismatchException(String message) {
        super(message);
    }
}
