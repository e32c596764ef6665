package dev.llmproxy.project;

/** A stored secret could not be decrypted; the message says why without revealing anything secret. */
public final class SecretUnreadableException extends RuntimeException {
    public SecretUnreadableException(String reason) {
        super("The stored API key cannot be decrypted: " + reason);
    }
}
