package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * On SQLite (#14): the database file, its write-ahead log and shared-memory file, and a backup are readable by their
 * owner only, and the backup folder the WAR creates only its owner may enter. The database file does not exist
 * before the container starts: the container's DataSource creates it, with SQLite's default mode, on its first
 * connection, and the WAR narrows it before it writes anything.
 */
interface OwnerOnlyFilesContract extends Contract {

    @Test
    default void theDatabaseItsWalAndABackupAreReadableByTheirOwnerOnly() throws Exception {
        assertEquals("sqlite", db().kind(), "implemented by the SQLite deployments only");
        openAiProject("modes"); // something written, so the -wal holds data
        Path file = db().sqliteFile();
        Path wal = Path.of(file + "-wal");
        Path shm = Path.of(file + "-shm");
        assertTrue(Files.exists(wal), "the pool's open connections keep the write-ahead log " + wal);
        Http.Response created = admin().post("/manage/backup", "");
        assertEquals(201, created.status(), created.body());
        Path backup = Path.of(created.json().path("path").asText());
        String modes = "database " + mode(file) + ", -wal " + mode(wal) + ", -shm " + mode(shm) + ", backup "
                + mode(backup) + ", backup folder " + mode(backup.getParent());
        System.out.printf("[file-modes] %s on sqlite: %s%n", server().name(), modes);
        assertEquals("database rw-------, -wal rw-------, -shm rw-------, backup rw-------, backup folder rwx------",
                modes);
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
