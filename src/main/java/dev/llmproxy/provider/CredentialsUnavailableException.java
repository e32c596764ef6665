package dev.llmproxy.provider;

/**
 * The credentials a request to a provider is signed with could not be had (AWS's default chain found none): nothing
 * was sent, and another upstream may still serve the call. The message names where they were looked for, never a
 * secret.
 */
public final class CredentialsUnavailableException extends RuntimeException {
    public CredentialsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
