package dev.llmproxy.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the application, read once and validated at start-up. The keys, defaults and reasons are
 * listed in docs/configuration.md; keep the two in step.
 *
 * @param dataDir             where the embedded SQLite file, generated keys and the initial management token live
 * @param managementToken     the admin API's bearer token; when absent one is generated at first start
 * @param embeddedPoolSize    connections in the embedded SQLite pool (used only without a container DataSource)
 * @param sqliteBusyTimeoutMs how long a SQLite connection waits for the write lock before failing
 * @param encryptionKey       base64 AES-256 key for provider API keys at rest; when absent a key file is used
 * @param requireEncryptionKey refuse to start without {@code encryption-key} instead of generating a key file
 * @param retiredEncryptionKeys base64 master keys that only open what they sealed, until it is re-encrypted (#14)
 * @param proxy               how the proxy talks to providers
 * @param usage               request records, retention and the undeploy drain
 * @param audit               client addresses and the grouping of security events
 * @param routing             retries, fallbacks and circuit breakers between a project's upstreams
 * @param cache               the response cache
 * @param operations          metrics protection and the backup folder
 * @param protection          what keeps hostile or runaway callers from exhausting the proxy
 * @param outage              what goes on while the database does not answer
 * @param entra               Microsoft Entra ID tokens for Azure OpenAI upstreams
 * @param google              Google service-account tokens for Vertex AI upstreams
 */
public record Settings(
        Path dataDir,
        Optional<String> managementToken,
        int embeddedPoolSize,
        int sqliteBusyTimeoutMs,
        Optional<String> encryptionKey,
        boolean requireEncryptionKey,
        List<String> retiredEncryptionKeys,
        ProxySettings proxy,
        UsageSettings usage,
        AuditSettings audit,
        RoutingSettings routing,
        CacheSettings cache,
        OperationsSettings operations,
        ProtectionSettings protection,
        OutageSettings outage,
        EntraSettings entra,
        GoogleAuthSettings google) {

    public static final String DATA_DIR = "data-dir";
    public static final String MANAGEMENT_TOKEN = "management-token";
    public static final String EMBEDDED_POOL_SIZE = "embedded-pool-size";
    public static final String SQLITE_BUSY_TIMEOUT_MS = "sqlite-busy-timeout-ms";
    public static final String ENCRYPTION_KEY = "encryption-key";
    public static final String REQUIRE_ENCRYPTION_KEY = "require-encryption-key";
    public static final String ENCRYPTION_KEYS_RETIRED = "encryption-keys-retired";

    /** Shortest management token accepted from settings: 128 bits as hex is 32 characters. */
    static final int MIN_MANAGEMENT_TOKEN_LENGTH = 32;

    /** Reads and validates every setting; throws {@link InvalidSettingException} naming the first bad key. */
    public static Settings read(SettingsReader reader, Path defaultDataDir) {
        Optional<String> encryptionKey = reader.optionalSecret(ENCRYPTION_KEY, 1);
        boolean requireKey = reader.bool(REQUIRE_ENCRYPTION_KEY, false);
        if (requireKey && encryptionKey.isEmpty()) {
            throw new InvalidSettingException(ENCRYPTION_KEY, "not set anywhere",
                    "is required because " + REQUIRE_ENCRYPTION_KEY + " is true");
        }
        Path dataDir = reader.path(DATA_DIR, defaultDataDir);
        return new Settings(
                dataDir,
                reader.optionalSecret(MANAGEMENT_TOKEN, MIN_MANAGEMENT_TOKEN_LENGTH),
                reader.integer(EMBEDDED_POOL_SIZE, 8, 1, 64),
                reader.integer(SQLITE_BUSY_TIMEOUT_MS, 5_000, 0, 600_000),
                encryptionKey,
                requireKey,
                retiredKeys(reader),
                ProxySettings.read(reader),
                UsageSettings.read(reader),
                AuditSettings.read(reader),
                RoutingSettings.read(reader),
                CacheSettings.read(reader),
                OperationsSettings.read(reader, dataDir),
                ProtectionSettings.read(reader),
                OutageSettings.read(reader),
                EntraSettings.read(reader),
                GoogleAuthSettings.read(reader));
    }

    /**
     * Comma-separated, kept as given (an empty entry too): each is decoded and checked with the key ring at start-up
     * (project.KeyRingLoader), failing with this key's name and the entry's position, never its value.
     */
    private static List<String> retiredKeys(SettingsReader reader) {
        return reader.optionalString(ENCRYPTION_KEYS_RETIRED)
                .map(v -> Arrays.stream(v.split(",", -1)).map(String::trim).toList())
                .orElse(List.of());
    }

    /** Never print secrets: records' generated toString would. */
    @Override
    public String toString() {
        return "Settings[dataDir=" + dataDir + ", managementToken=" + (managementToken.isPresent() ? "set" : "generated")
                + ", embeddedPoolSize=" + embeddedPoolSize + ", sqliteBusyTimeoutMs=" + sqliteBusyTimeoutMs
                + ", encryptionKey=" + (encryptionKey.isPresent() ? "set" : "key file")
                + ", requireEncryptionKey=" + requireEncryptionKey
                + ", retiredEncryptionKeys=" + (retiredEncryptionKeys.isEmpty() ? "none" : "set") + ", " + proxy + ", "
                + usage + ", " + audit + ", " + routing + ", " + cache + ", " + operations + ", " + protection + ", "
                + outage + "]";
    }
}
