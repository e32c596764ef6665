package dev.llmproxy.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.logging.Level;
import javax.sql.DataSource;

/**
 * The SQLite database file and the {@code -wal} and {@code -shm} files beside it, readable by their owner only.
 * SQLite creates the {@code -wal} and {@code -shm} files with the database file's own mode
 * (https://sqlite.org/src/file/src/os_unix.c, findCreateFileMode), so once the database file is {@code rw-------}
 * every later one is too. Whoever made the file (this WAR in the data directory, or sqlite-jdbc on the first
 * connection of a container's DataSource) is asked for its path by {@code PRAGMA database_list}: that is exact
 * whatever the URL looked like.
 */
final class SqliteFiles {
    private SqliteFiles() {
    }

    /**
     * Narrows the database file, its -wal and its -shm to rw------- where they are wider: with a warning each when
     * the database already holds tables (an older file, or one made by hand), said as information when it is new.
     */
    static void restrict(DataSource dataSource, OwnerOnlyFiles files) throws SQLException {
        Optional<Path> file;
        boolean fresh;
        try (Connection c = dataSource.getConnection()) {
            file = mainFile(c);
            fresh = isEmpty(c);
        }
        if (file.isEmpty()) {
            return; // an in-memory or temporary database has no file
        }
        Level level = fresh ? Level.INFO : Level.WARNING;
        files.restrict(file.get(), "The SQLite database file", level);
        files.restrict(Path.of(file.get() + "-wal"), "The SQLite write-ahead log", level);
        files.restrict(Path.of(file.get() + "-shm"), "The SQLite shared-memory file", level);
    }

    /** The main database's file, or empty for an in-memory or temporary one. */
    private static Optional<Path> mainFile(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) {
                    String file = rs.getString("file");
                    return file == null || file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file));
                }
            }
            return Optional.empty();
        }
    }

    private static boolean isEmpty(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }
}
