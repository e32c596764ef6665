package dev.llmproxy.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.SchemaMigrator;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The migration's list of the application's tables is read from the changelogs, and it is exactly the tables a fresh
 * database gets from them: a table made by raw SQL in a changelog, which the reading would miss, fails this test.
 */
class ApplicationTablesTest {
    @TempDir
    Path dir;

    @Test
    void theChangelogsCreateExactlyTheTablesTheMigrationOwns() throws Exception {
        SQLiteDataSource fresh = new SQLiteDataSource();
        fresh.setUrl("jdbc:sqlite:" + dir.resolve("fresh.db"));
        new SchemaMigrator().migrate(fresh, DatabaseKind.SQLITE);
        Set<String> created = new TreeSet<>();
        for (String name : Filled.strings(fresh, "SELECT name FROM sqlite_master WHERE type = 'table'")) {
            String table = name.toLowerCase(Locale.ROOT);
            if (!table.startsWith("sqlite_") && !table.startsWith("databasechangelog")) {
                created.add(table);
            }
        }
        ApplicationTables sqlite = ApplicationTables.of(DatabaseKind.SQLITE);
        assertEquals(created, new TreeSet<>(sqlite.names()));
        assertTrue(created.containsAll(Set.of("projects", "tokens", "request_records", "project_upstreams")), created
                .toString());
    }

    @Test
    void bothDialectsOwnTheSameTablesAndSeedTheSameRows() {
        ApplicationTables sqlite = ApplicationTables.of(DatabaseKind.SQLITE);
        ApplicationTables pg = ApplicationTables.of(DatabaseKind.POSTGRESQL);
        assertEquals(sqlite.names(), pg.names());
        assertEquals(sqlite.changeSetIds(), pg.changeSetIds());
        assertEquals(Set.of("audit_chain_head"), sqlite.seeded(), "the one table a changelog writes rows into");
        assertEquals(sqlite.seeded(), pg.seeded());
        assertEquals("0001-projects", sqlite.createdBy("projects"));
        assertEquals("0011-project-upstreams", sqlite.createdBy("project_upstreams"));
    }
}
