package dev.llmproxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Start-up settings from any strings (docs/fuzzing.md): either valid settings, the same each time they are read, or
 * {@link InvalidSettingException} naming a key that was set (or the one a rule ties to it), never another exception;
 * and a secret's value never
 * shows: the outcome is the same whatever the secret, as long as its length is.
 */
class SettingsFuzzTest {
    static final String[] KEYS = {"data-dir", "management-token", "embedded-pool-size", "sqlite-busy-timeout-ms",
            "encryption-key", "require-encryption-key", "encryption-keys-retired", "max-request-body-bytes", "upstream-connect-timeout-ms",
            "upstream-response-timeout-ms", "upstream-idle-timeout-ms", "anthropic-version",
            "budget-default-output-tokens", "openai-routes", "anthropic-routes", "openai-compatible-routes", "azure-openai-routes",
            "usage-queue-capacity", "usage-retention-days", "shutdown-drain-seconds", "trusted-proxies",
            "security-event-window-seconds", "upstream-retries", "upstream-retry-backoff-ms",
            "upstream-retry-max-wait-ms", "breaker-failure-rate-percent", "breaker-minimum-calls",
            "breaker-window-calls", "breaker-open-ms", "breaker-half-open-calls", "cache-max-bytes",
            "cache-max-entry-bytes", "metrics-token", "backup-dir", "failed-auth-per-minute",
            "max-body-bytes-in-flight", "max-concurrent-calls-per-token", "request-body-timeout-ms",
            "caller-write-timeout-ms", "proxy-work-threads", "proxy-work-queue"};
    private static final Set<String> SECRETS = Set.of("management-token", "encryption-key", "encryption-keys-retired",
            "metrics-token");
    /** A rule between two keys may name the other one: the key named, and the key whose value brings the rule in. */
    private static final Map<String, String> TIED = Map.of("encryption-key", "require-encryption-key",
            "breaker-minimum-calls", "breaker-window-calls");
    private static final Path DEFAULT_DIR = Path.of("/var/lib/llm-proxy");

    @FuzzTest
    void validSettingsOrTheKeyThatIsWrong(FuzzedDataProvider data) {
        Map<String, String> values = new HashMap<>();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            String key = data.pickValue(KEYS);
            values.put(key, data.consumeBoolean() ? String.valueOf(data.consumeLong()) : data.consumeString(80));
        }
        Map<String, String> masked = new HashMap<>(values);
        SECRETS.forEach(key -> masked.computeIfPresent(key, (k, v) -> mask(v)));

        String outcome = outcome(values);
        assertEquals(outcome(masked), outcome, "a secret's value shows in the settings or the error");
    }

    /** Every char past a space (so each half of a surrogate pair) as 'S': the same length, trimmed or not. */
    private static String mask(String value) {
        StringBuilder masked = new StringBuilder(value.length());
        value.chars().forEach(c -> masked.append(c <= ' ' ? (char) c : 'S'));
        return masked.toString();
    }

    /** The settings as printed, or the error; fails on any other exception. */
    private static String outcome(Map<String, String> values) {
        SettingsReader reader = new SettingsReader(List.of(new MapSettingSource("fuzz", values)));
        Settings settings;
        try {
            settings = Settings.read(reader, DEFAULT_DIR);
        } catch (InvalidSettingException e) {
            assertTrue(values.containsKey(e.key())
                    || TIED.containsKey(e.key()) && values.containsKey(TIED.get(e.key())), "names " + e.key() + ", which was not set");
            return e.getMessage();
        }
        assertEquals(settings, Settings.read(reader, DEFAULT_DIR), "read twice, the same settings");
        assertTrue(settings.dataDir().isAbsolute());
        assertTrue(settings.operations().backupDir().isAbsolute());
        assertTrue(settings.embeddedPoolSize() >= 1 && settings.embeddedPoolSize() <= 64);
        assertTrue(settings.proxy().maxRequestBodyBytes() >= 1024);
        assertTrue(settings.routing().breakerMinimumCalls() <= settings.routing().breakerWindowCalls());
        return settings.toString();
    }
}
