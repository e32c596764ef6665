package dev.llmproxy.config;

import java.util.Map;
import java.util.Optional;

/** A hand-written source for tests. */
public record MapSettingSource(String label, Map<String, String> values) implements SettingSource {
    @Override
    public Optional<String> lookup(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public String describe(String key) {
        return label + " " + key;
    }
}
