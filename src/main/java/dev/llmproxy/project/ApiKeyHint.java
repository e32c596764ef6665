package dev.llmproxy.project;

/** A recognisable but harmless hint of a secret: its first three and last four characters, e.g. {@code sk-…st12}. */
public final class ApiKeyHint {
    private ApiKeyHint() {
    }

    /** The column's length ({@code api_key_hint VARCHAR(32)} in both changelogs). */
    static final int MAX_LENGTH = 32;

    /** {@code hint} as it fits the column: a longer one (a service account's e-mail) cut, with an ellipsis. */
    static String clipped(String hint) {
        return hint.length() <= MAX_LENGTH ? hint : hint.substring(0, MAX_LENGTH - 1) + "…";
    }

    public static String of(String secret) {
        if (secret.length() < 12) {
            return "…" + secret.substring(Math.max(0, secret.length() - 2));
        }
        return secret.substring(0, 3) + "…" + secret.substring(secret.length() - 4);
    }
}
