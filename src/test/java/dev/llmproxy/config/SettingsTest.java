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

    @Test
    void operationsSettingsDefaultUnderTheDataDirAndKeepTheMetricsTokenSecret() {
        Settings defaults = read(Map.of());
        assertEquals(Path.of("/home/x/.llm-proxy/backups"), defaults.operations().backupDir());
        assertFalse(defaults.operations().metricsToken().isPresent());
        Settings set = read(Map.of("data-dir", "/srv/proxy", "metrics-token", "scrape-me-0123456789"));
        assertEquals(Path.of("/srv/proxy/backups"), set.operations().backupDir(), "follows data-dir");
        assertEquals("scrape-me-0123456789", set.operations().metricsToken().orElseThrow());
        assertFalse(set.toString().contains("scrape-me-0123456789"));
        var tooShort = assertThrows(InvalidSettingException.class, () -> read(Map.of("metrics-token", "short")));
        assertEquals("metrics-token", tooShort.key());
    }

    @Test
    void routingAndCacheSettingsAreValidated() {
        Settings defaults = read(Map.of());
        assertEquals(1, defaults.routing().retries());
        assertEquals(64 * 1024 * 1024, defaults.cache().maxBytes());
        var minimumAboveWindow = assertThrows(InvalidSettingException.class,
                () -> read(Map.of("breaker-window-calls", "5", "breaker-minimum-calls", "10")));
        assertEquals("breaker-minimum-calls", minimumAboveWindow.key());
        assertEquals("upstream-retries",
                assertThrows(InvalidSettingException.class, () -> read(Map.of("upstream-retries", "9"))).key());
    }

    @Test
    void outageSettingsHaveTheirDefaultsAndBounds() {
        Settings defaults = read(Map.of());
        assertEquals(30, defaults.outage().graceSeconds());
        assertEquals(3_000, defaults.protection().databaseDeadlineMs());
        assertEquals(0, read(Map.of("database-outage-grace-seconds", "0")).outage().graceSeconds());
        assertEquals("database-outage-grace-seconds", assertThrows(InvalidSettingException.class,
                () -> read(Map.of("database-outage-grace-seconds", "3601"))).key());
        assertEquals("database-deadline-ms", assertThrows(InvalidSettingException.class,
                () -> read(Map.of("database-deadline-ms", "50"))).key());
    }

    @Test
    void theBedrockRegionIsAnAwsRegionsName() {
        assertEquals("us-east-1", read(Map.of()).proxy().bedrockRegion());
        assertEquals("eu-central-2", read(Map.of("bedrock-region", "eu-central-2")).proxy().bedrockRegion());
        assertEquals("us-gov-west-1", read(Map.of("bedrock-region", "us-gov-west-1")).proxy().bedrockRegion());
        for (String bad : new String[] {"EU-CENTRAL-1", "eu-central", "evil.example/x", "us-east-1.", "1-us-east"}) {
            var e = assertThrows(InvalidSettingException.class, () -> read(Map.of("bedrock-region", bad)), bad);
            assertEquals("bedrock-region", e.key());
        }
    }
}
