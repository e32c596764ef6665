package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of upstream LLM API a project can point at, with their default base URLs (the part before /v1). */
public enum Provider {
    OPENAI("openai", "https://api.openai.com"),
    ANTHROPIC("anthropic", "https://api.anthropic.com"),
    /** vLLM, Ollama, Groq and other servers speaking OpenAI's API; they have no default URL. */
    OPENAI_COMPATIBLE("openai-compatible", null);

    private final String id;
    private final String defaultBaseUrl;

    Provider(String id, String defaultBaseUrl) {
        this.id = id;
        this.defaultBaseUrl = defaultBaseUrl;
    }

    /** The name used in the API and the database. */
    public String id() {
        return id;
    }

    /**
     * Whether a request written for this provider's API can go to {@code other} unchanged: OpenAI and the
     * OpenAI-compatible servers share one API; Anthropic has its own.
     */
    public boolean speaksSameApiAs(Provider other) {
        return (this == ANTHROPIC) == (other == ANTHROPIC);
    }

    public Optional<String> defaultBaseUrl() {
        return Optional.ofNullable(defaultBaseUrl);
    }

    public static Provider fromId(String field, String id) {
        for (Provider p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new InvalidFieldException(field, "must be one of "
                + Arrays.stream(values()).map(Provider::id).collect(Collectors.joining(", "))
                + ", got '" + id + "'");
    }
}
