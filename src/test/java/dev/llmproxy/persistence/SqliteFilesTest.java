package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.Settings;
import dev.llmproxy.config.SettingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite database, its -wal and -shm are readable by their owner only (#14), whether this WAR made the file
 * (embedded, in the data directory) or a container's DataSource did on its first connection; and SQLite keeps the
 * mode of the empty file a backup's VACUUM INTO writes into.
 */
class SqliteFilesTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedDatabaseItsDataDirectoryWalAndShmAreOwnerOnly() throws Exception {
        Path dataDir = dir.resolve("new/data");
        Settings settings = Settings.read(new SettingsReader(List.of()), dataDir);
        try (ApplicationDataSource db = new DataSourceResolver(Optional.empty()).resolve(settings)) {
            write(db.dataSource());
            Path file = dataDir.resolve(EmbeddedSqlite.FILE_NAME);
            assertEquals(OwnerOnlyFiles.FOLDER, Files.getPosixFilePermissions(dataDir));
            assertEquals(OwnerOnlyFiles.FOLDER, Files.getPosixFilePermissions(dir.resolve("new")));
            assertOwnerOnly(file, Path.of(file + "-wal"), Path.of(file + "-shm"));
        }
    }

    @Test
    void aFileTheContainersDataSourceCreatedIsNarrowedAndLaterWalFilesFollowIt() throws Exception {
        Path file = dir.resolve("container.db");
        SQLiteConfig wal = new SQLiteConfig();
        wal.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // WAL from the first connection, as server-config's URLs ask: it creates the file and its -wal and -shm
        SQLiteDataSource container = new SQLiteDataSource(wal);
        container.setUrl("jdbc:sqlite:" + file);
        try (Connection first = container.getConnection(); Statement s = first.createStatement()) {
            s.execute("CREATE TABLE t (n INTEGER)");
            for (Path created : List.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"))) {
                Files.setPosixFilePermissions(created, PosixFilePermissions.fromString("rw-r--r--")); // any umask
            }
            SqliteFiles.restrict(container, new OwnerOnlyFiles());
            assertOwnerOnly(file, Path.of(file + "-wal"), Path.of(file + "-shm"));
        }
        assertTrue(Files.notExists(Path.of(file + "-wal")), "the last connection closed removes the -wal");
        write(container); // made anew, with the database file's mode
        assertOwnerOnly(file);
        try (Connection open = container.getConnection(); Statement s = open.createStatement()) {
            s.execute("INSERT INTO t VALUES (2)");
            assertOwnerOnly(Path.of(file + "-wal"), Path.of(file + "-shm"));
        }
    }

    @Test
    void vacuumIntoKeepsTheModeOfTheEmptyFileItWritesInto() throws Exception {
        SQLiteDataSource live = new SQLiteDataSource();
        live.setUrl("jdbc:sqlite:" + dir.resolve("live.db"));
        write(live);
        Path snapshot = dir.resolve("snapshot.db");
        new OwnerOnlyFiles().createFile(snapshot);
        try (Connection c = live.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + snapshot + "'");
        }
        assertTrue(Files.size(snapshot) > 0);
        assertOwnerOnly(snapshot);
    }

    private static void write(javax.sql.DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)");
            s.execute("INSERT INTO t VALUES (1)");
        }
    }

    private static void assertOwnerOnly(Path... files) throws Exception {
        for (Path file : files) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    file.toString());
        }
    }
}
