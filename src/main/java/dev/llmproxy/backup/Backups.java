package dev.llmproxy.backup;

import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.AuditEntry;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.persistence.ApplicationDataSource;
import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.OwnerOnlyFiles;
import dev.llmproxy.usage.UsageRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Writes a consistent snapshot of the live SQLite database into the backup folder. First every request record of a
 * call that has ended is written (calls admitted before this moment get a moment to end, and the writer's queue is
 * drained up to then: {@link UsageRecorder#awaitWritten}), then {@code VACUUM INTO} copies
 * the database as of one read transaction: writers keep going meanwhile (WAL), and the copy is a complete, compacted
 * database file that opens on its own, without a {@code -wal} file. The snapshot is readable by its owner only, and
 * the backup folder, where this creates it, only its owner may enter.
 */
public final class Backups {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final Duration RECORDS_WAIT = Duration.ofSeconds(30);

    private final ApplicationDataSource database;
    private final UsageRecorder recorder;
    private final Path folder;
    private final AuditLog audit;
    private final Clock clock;
    private final OwnerOnlyFiles files = new OwnerOnlyFiles();

    public Backups(ApplicationDataSource database, UsageRecorder recorder, Path folder, AuditLog audit, Clock clock) {
        this.database = database;
        this.recorder = recorder;
        this.folder = folder;
        this.audit = audit;
        this.clock = clock;
    }

    public Backup create(Actor actor) {
        if (database.kind() != DatabaseKind.SQLITE) {
            throw new BackupNotSupportedException(database.kind().id());
        }
        Instant started = clock.instant();
        if (!recorder.awaitWritten(RECORDS_WAIT)) {
            throw new BackupFailedException("Request records of calls that ended before the backup were not written"
                    + " within " + RECORDS_WAIT.toSeconds() + " s; is the database writable?", null);
        }
        Path file = folder.resolve("llm-proxy-" + NAME.format(started) + ".db");
        try {
            files.createDirectories(folder);
        } catch (IOException e) {
            throw new BackupFailedException("Cannot create the backup folder " + folder + " (setting backup-dir): "
                    + e.getMessage(), e);
        }
        try {
            // VACUUM INTO writes into an empty file and keeps its mode: the snapshot is never readable by others.
            files.createFile(file);
        } catch (IOException e) {
            throw new BackupFailedException("Cannot create the snapshot file " + file + ": " + e.getMessage(), e);
        }
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            var failure = new BackupFailedException("Writing the snapshot " + file + " failed: " + e.getMessage(), e);
            try {
                Files.deleteIfExists(file); // an empty or partial file must not pass for a backup
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        long records = recordsIn(file);
        Backup backup = new Backup(file.toAbsolutePath().toString(), size(file), sha256(file), started, records);
        audit.record(actor, AuditEntry.success(AuditAction.BACKUP_CREATED, "backup", file.getFileName().toString(),
                AuditEntry.details("path", backup.path(), "size_bytes", backup.sizeBytes(), "sha256", backup.sha256())));
        return backup;
    }

    /** Opens the snapshot on its own: it is a whole database, and says how many request records it holds. */
    private static long recordsIn(Path file) {
        org.sqlite.SQLiteDataSource snapshot = new org.sqlite.SQLiteDataSource();
        snapshot.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        snapshot.setReadOnly(true);
        try (Connection c = snapshot.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM request_records")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new BackupFailedException("The snapshot " + file + " does not open as a database: " + e.getMessage(),
                    e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new BackupFailedException("Cannot read the snapshot " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new BackupFailedException("Cannot checksum the snapshot " + file + ": " + e.getMessage(), e);
        }
    }
}
