package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.provider.Anthropic;
import dev.llmproxy.provider.AzureOpenAi;
import dev.llmproxy.provider.Bedrock;
import dev.llmproxy.provider.Gemini;
import dev.llmproxy.provider.OpenAi;
import dev.llmproxy.provider.OpenAiCompatible;
import dev.llmproxy.provider.ProviderDefinition;
import dev.llmproxy.provider.VertexAi;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The providers a project or an upstream can point at, each by its {@link ProviderDefinition} (package
 * {@code provider}), which holds everything the proxy knows about it. Stored by id ({@link ProviderConverter}).
 */
public enum Provider {
    OPENAI(new OpenAi()),
    ANTHROPIC(new Anthropic()),
    OPENAI_COMPATIBLE(new OpenAiCompatible()),
    AZURE_OPENAI(new AzureOpenAi()),
    GEMINI(new Gemini()),
    VERTEX_AI(new VertexAi()),
    BEDROCK(new Bedrock());

    private final ProviderDefinition definition;

    Provider(ProviderDefinition definition) {
        this.definition = definition;
    }

    public ProviderDefinition definition() {
        return definition;
    }

    /** The name used in the API and the database. */
    public String id() {
        return definition.id();
    }

    /**
     * Whether a request written for this provider's API can go to {@code other} unchanged: the same
     * {@link dev.llmproxy.provider.ApiFamily} (OpenAI and the OpenAI-compatible servers share one).
     */
    public boolean speaksSameApiAs(Provider other) {
        return definition.family() == other.definition.family();
    }

    public Optional<String> defaultBaseUrl() {
        return definition.defaultBaseUrl();
    }

    public static Provider fromId(String field, String id) {
        for (Provider p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new InvalidFieldException(field, "must be one of "
                + Arrays.stream(values()).map(Provider::id).collect(Collectors.joining(", "))
                + ", got '" + id + "'");
    }
}
