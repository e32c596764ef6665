package dev.llmproxy.config;

/** A setting that is missing, malformed or out of range; start-up fails with it. */
public final class InvalidSettingException extends RuntimeException {
    private final String key;

    public InvalidSettingException(String key, String origin, String problem) {
        this(key, origin, problem, null);
    }

    public InvalidSettingException(String key, String origin, String problem, Throwable cause) {
        super("Invalid LLM Proxy setting '" + key + "' (" + origin + "): " + problem, cause);
        this.key = key;
    }

    /** The setting's key, e.g. {@code data-dir}. */
    public String key() {
        return key;
    }
}
