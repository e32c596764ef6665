package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static Settings read(Map<String, String> values) {
        return Settings.read(new SettingsReader(List.of(new MapSettingSource("test", values))), Path.of("/home/x/.llm-proxy"));
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Settings s = read(Map.of());
        assertEquals(Path.of("/home/x/.llm-proxy"), s.dataDir());
        assertEquals(8, s.embeddedPoolSize());
        assertEquals(5000, s.sqliteBusyTimeoutMs());
        assertFalse(s.managementToken().isPresent());
    }

    @Test
    void requiringAnEncryptionKeyWithoutOneFailsNamingTheKey() {
        var e = assertThrows(InvalidSettingException.class, () -> read(Map.of("require-encryption-key", "true")));
        assertEquals("encryption-key", e.key());
    }

    @Test
    void toStringNeverShowsSecrets() {
        String token = "0123456789abcdef0123456789abcdef-secret";
        Settings s = read(Map.of("management-token", token, "encryption-key", "c2VjcmV0LWtleQ=="));
        assertFalse(s.toString().contains(token));
        assertFalse(s.toString().contains("c2VjcmV0LWtleQ=="));
    }
}
