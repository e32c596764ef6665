package dev.llmproxy.testing;

import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import java.nio.file.Path;
import org.sqlite.SQLiteDataSource;

/** A SQLite file with the schema migrated, wrapped as the application wraps it: for unit tests on real tables. */
public final class MigratedSqlite {
    private MigratedSqlite() {
    }

    public static SqliteConnectionSettings at(Path file) {
        SqliteConnectionSettings ds = unmigrated(file);
        new SchemaMigrator().migrate(ds, DatabaseKind.SQLITE);
        return ds;
    }

    /** The file wrapped as the application wraps it, its schema left as it is (to migrate it step by step). */
    public static SqliteConnectionSettings unmigrated(Path file) {
        SQLiteDataSource raw = new SQLiteDataSource();
        raw.setUrl("jdbc:sqlite:" + file);
        return new SqliteConnectionSettings(raw, 5000);
    }
}
