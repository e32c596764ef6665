package dev.llmproxy.project;

/** A recognisable but harmless hint of a secret: its first three and last four characters, e.g. {@code sk-…st12}. */
public final class ApiKeyHint {
    private ApiKeyHint() {
    }

    public static String of(String secret) {
        if (secret.length() < 12) {
            return "…" + secret.substring(Math.max(0, secret.length() - 2));
        }
        return secret.substring(0, 3) + "…" + secret.substring(secret.length() - 4);
    }
}
