package dev.llmproxy.project;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link Provider} by its API id ({@code openai-compatible}), not by Java enum name. */
@Converter
public final class ProviderConverter implements AttributeConverter<Provider, String> {
    @Override
    public String convertToDatabaseColumn(Provider provider) {
        return provider == null ? null : provider.id();
    }

    @Override
    public Provider convertToEntityAttribute(String id) {
        return id == null ? null : Provider.fromId("provider", id);
    }
}
