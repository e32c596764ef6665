package dev.llmproxy.config;

import java.util.Optional;
import java.util.Properties;

/** JVM system properties {@code llmproxy.<key>}, e.g. {@code -Dllmproxy.data-dir=/var/lib/llm-proxy}. */
public final class SystemPropertySettingSource implements SettingSource {
    private final Properties properties;

    public SystemPropertySettingSource(Properties properties) {
        this.properties = properties;
    }

    @Override
    public Optional<String> lookup(String key) {
        return Optional.ofNullable(properties.getProperty(name(key)));
    }

    @Override
    public String describe(String key) {
        return "system property " + name(key);
    }

    private static String name(String key) {
        return "llmproxy." + key;
    }
}
