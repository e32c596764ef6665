package dev.llmproxy.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Environment variables {@code LLMPROXY_<KEY>}, dashes turned into underscores: {@code LLMPROXY_DATA_DIR}. */
public final class EnvironmentSettingSource implements SettingSource {
    private final Map<String, String> environment;

    public EnvironmentSettingSource(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Optional<String> lookup(String key) {
        return Optional.ofNullable(environment.get(name(key)));
    }

    @Override
    public String describe(String key) {
        return "environment variable " + name(key);
    }

    static String name(String key) {
        return "LLMPROXY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
