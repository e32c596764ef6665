package dev.llmproxy.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Metrics and backups.
 *
 * @param metricsToken when set, {@code /metrics} requires {@code Authorization: Bearer <metrics-token>}
 * @param backupDir    where {@code POST /manage/backup} writes SQLite snapshots
 */
public record OperationsSettings(Optional<String> metricsToken, Path backupDir) {
    public static final String METRICS_TOKEN = "metrics-token";
    public static final String BACKUP_DIR = "backup-dir";
    static final int MIN_METRICS_TOKEN_LENGTH = 16;

    static OperationsSettings read(SettingsReader reader, Path dataDir) {
        return new OperationsSettings(reader.optionalSecret(METRICS_TOKEN, MIN_METRICS_TOKEN_LENGTH),
                reader.path(BACKUP_DIR, dataDir.resolve("backups")));
    }

    @Override
    public String toString() {
        return "OperationsSettings[metricsToken=" + (metricsToken.isPresent() ? "set" : "none") + ", backupDir="
                + backupDir + "]";
    }
}
