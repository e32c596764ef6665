package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/configuration.md has a row for every setting key the code reads (the keys are the settings' constants). */
class SettingsDocumentedTest {
    private static final List<Class<?>> SETTINGS = List.of(Settings.class, ProxySettings.class, UsageSettings.class,
            AuditSettings.class, RoutingSettings.class, CacheSettings.class, OperationsSettings.class,
            ProtectionSettings.class, EntraSettings.class);

    @Test
    void everySettingKeyHasARow() throws IOException, IllegalAccessException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        int keys = 0;
        for (Class<?> type : SETTINGS) {
            for (Field f : type.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) && Modifier.isFinal(m) && Modifier.isPublic(m) && f.getType() == String.class) {
                    String key = (String) f.get(null);
                    keys++;
                    if (!doc.contains("| `" + key + "`") && !doc.contains(", `" + key + "`")) {
                        missing.add(type.getSimpleName() + "." + f.getName() + " = " + key);
                    }
                }
            }
        }
        assertTrue(keys > 30, "the keys were found: " + keys);
        assertTrue(missing.isEmpty(), "not in docs/configuration.md: " + missing);
    }
}
