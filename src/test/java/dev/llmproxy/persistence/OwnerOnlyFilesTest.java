package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only files and folders (#14): made so whatever the umask, narrowed with a warning, and no POSIX, no fuss. */
class OwnerOnlyFilesTest {
    @TempDir
    Path dir;
    private final OwnerOnlyFiles files = new OwnerOnlyFiles();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(OwnerOnlyFiles.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    @Test
    void aNewFileIsReadableByItsOwnerOnlyAndFoldersItCreatesOnlyTheOwnerMayEnter() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path folder = dir.resolve("a/b");
        files.createDirectories(folder);
        assertEquals(OwnerOnlyFiles.FOLDER, Files.getPosixFilePermissions(dir.resolve("a")));
        assertEquals(OwnerOnlyFiles.FOLDER, Files.getPosixFilePermissions(folder));
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), Files.getPosixFilePermissions(dir),
                "a folder that was there keeps its mode");
        files.createDirectories(folder); // there already: nothing to do

        Path file = folder.resolve("x.db");
        assertTrue(files.createFileIfMissing(file));
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        assertEquals(false, files.createFileIfMissing(file), "an existing file is not made again");
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(file));
    }

    @Test
    void aWiderFileIsNarrowedWithAWarningNamingItsModeAndANarrowOneIsLeftQuietly() throws Exception {
        Path file = Files.createFile(dir.resolve("old.db"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        files.restrict(file, "The SQLite database file");
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(file));
        assertEquals(List.of("WARNING The SQLite database file " + file + " was rw-r--r--; restricted it to rw-------"
                + " (its owner only). See docs/operations.md."), logged);

        logged.clear();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        files.restrict(file, "The SQLite database file");
        assertEquals(PosixFilePermissions.fromString("r--------"), Files.getPosixFilePermissions(file),
                "a read-only file stays read-only");
        assertEquals(1, logged.size(), logged.toString());

        logged.clear();
        files.restrict(file, "The SQLite database file");
        files.restrict(dir.resolve("absent-wal"), "The SQLite write-ahead log");
        assertEquals(PosixFilePermissions.fromString("r--------"), Files.getPosixFilePermissions(file),
                "narrower than rw------- is narrow enough");
        assertEquals(List.of(), logged);
    }

    @Test
    void withoutPosixPermissionsItSaysSoOnceAndGoesOn() throws Exception {
        URI zip = URI.create("jar:" + dir.resolve("no-posix.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            files.createDirectories(fs.getPath("/backups"));
            files.createFile(fs.getPath("/backups/one.db"));
            files.restrict(fs.getPath("/backups/one.db"), "The backup");
            assertTrue(Files.exists(fs.getPath("/backups/one.db")));
        }
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("INFO The file system of /backups has no POSIX permissions"), logged.get(0));
    }
}
