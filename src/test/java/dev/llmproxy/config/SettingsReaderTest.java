package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    @Test
    void firstSourceThatDefinesAKeyWins() {
        var reader = new SettingsReader(List.of(
                new MapSettingSource("jndi", Map.of("embedded-pool-size", "3")),
                new MapSettingSource("sys", Map.of("embedded-pool-size", "5", "sqlite-busy-timeout-ms", "700")),
                new MapSettingSource("env", Map.of("sqlite-busy-timeout-ms", "900", "data-dir", "/srv/x"))));
        assertEquals(3, reader.integer("embedded-pool-size", 8, 1, 64));
        assertEquals(700, reader.integer("sqlite-busy-timeout-ms", 5000, 0, 600_000));
        assertEquals(Path.of("/srv/x"), reader.path("data-dir", Path.of("/default")));
        assertEquals(Path.of("/default"), reader.path("other", Path.of("/default")));
    }

    @Test
    void blankValuesCountAsUnset() {
        var reader = new SettingsReader(List.of(new MapSettingSource("jndi", Map.of("data-dir", "  ")),
                new MapSettingSource("env", Map.of("data-dir", "/from/env"))));
        assertEquals(Path.of("/from/env"), reader.path("data-dir", Path.of("/d")));
    }

    @Test
    void badNumberNamesTheKeyAndWhereItCameFrom() {
        var reader = new SettingsReader(List.of(new MapSettingSource("env", Map.of("embedded-pool-size", "lots"))));
        var e = assertThrows(InvalidSettingException.class, () -> reader.integer("embedded-pool-size", 8, 1, 64));
        assertEquals("embedded-pool-size", e.key());
        assertTrue(e.getMessage().contains("env embedded-pool-size"), e.getMessage());
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
    }

    @Test
    void outOfRangeNumberIsRefused() {
        var reader = new SettingsReader(List.of(new MapSettingSource("env", Map.of("embedded-pool-size", "0"))));
        var e = assertThrows(InvalidSettingException.class, () -> reader.integer("embedded-pool-size", 8, 1, 64));
        assertTrue(e.getMessage().contains("from 1 to 64"), e.getMessage());
    }

    @Test
    void tooShortSecretIsRefusedWithoutEchoingIt() {
        var reader = new SettingsReader(List.of(new MapSettingSource("env", Map.of("management-token", "hunter2"))));
        var e = assertThrows(InvalidSettingException.class, () -> reader.optionalSecret("management-token", 32));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void booleansAcceptCommonSpellingsAndRefuseOthers() {
        var reader = new SettingsReader(List.of(new MapSettingSource("env", Map.of("a", "yes", "b", "OFF", "c", "maybe"))));
        assertTrue(reader.bool("a", false));
        assertFalse(reader.bool("b", true));
        assertThrows(InvalidSettingException.class, () -> reader.bool("c", false));
    }

    @Test
    void systemPropertiesAndEnvironmentUseTheirNamingConventions() {
        Properties props = new Properties();
        props.setProperty("llmproxy.data-dir", "/from/property");
        assertEquals("/from/property", new SystemPropertySettingSource(props).lookup("data-dir").orElseThrow());
        var env = new EnvironmentSettingSource(Map.of("LLMPROXY_MANAGEMENT_TOKEN", "t"));
        assertEquals("t", env.lookup("management-token").orElseThrow());
        assertEquals("environment variable LLMPROXY_SQLITE_BUSY_TIMEOUT_MS", env.describe("sqlite-busy-timeout-ms"));
    }
}
