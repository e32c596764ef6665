package dev.llmproxy.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmproxy.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The default when the container binds no DataSource: a SQLite file in the data directory behind HikariCP. */
final class EmbeddedSqlite {
    static final String FILE_NAME = "llm-proxy.db";

    private EmbeddedSqlite() {
    }

    /**
     * The data directory, where this creates it, is rwx------ and a new database file rw------- before SQLite first
     * opens it (SQLite keeps an existing file's mode, and gives the -wal and -shm files the same).
     */
    static HikariDataSource open(Settings settings, OwnerOnlyFiles files) {
        Path file = settings.dataDir().resolve(FILE_NAME);
        try {
            files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + settings.dataDir()
                    + " for the embedded SQLite database; set data-dir to a writable folder", e);
        }
        try {
            files.createFileIfMissing(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded SQLite database " + file
                    + "; set data-dir to a writable folder", e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(settings.sqliteBusyTimeoutMs());
        SQLiteDataSource driver = new SQLiteDataSource(sqlite);
        driver.setUrl("jdbc:sqlite:" + file);

        HikariConfig pool = new HikariConfig();
        pool.setPoolName("llm-proxy-sqlite");
        pool.setDataSource(driver);
        pool.setMaximumPoolSize(settings.embeddedPoolSize());
        pool.setMinimumIdle(1);
        return new HikariDataSource(pool);
    }
}
