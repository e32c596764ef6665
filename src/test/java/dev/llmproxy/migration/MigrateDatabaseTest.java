package dev.llmproxy.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.OwnerOnlyFiles;
import dev.llmproxy.persistence.SchemaMigrator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The migration command between SQLite files: it copies only the application's tables, creates a new target
 * readable by its owner only, and refuses, with exit status 3 and changing nothing, a source that is missing, is not
 * an LLM Proxy database or holds nothing, and a target that holds data or tables of the application's names.
 * (Against PostgreSQL schemas: {@code DatabaseMigrationIT}.)
 */
class MigrateDatabaseTest {
    /** A database the application filled: made once (Hibernate takes seconds to start), copied for each test. */
    @TempDir
    static Path template;
    @TempDir
    Path dir;
    private Path source;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void fill() throws Exception {
        Path filled = template.resolve("filled.db");
        Filled.with(sqlite(filled), DatabaseKind.SQLITE, 3);
        Filled.execute(sqlite(filled), "CREATE TABLE notes (text TEXT)");
        Filled.execute(sqlite(filled), "INSERT INTO notes VALUES ('not ours')");
    }

    @BeforeEach
    void filledSource() throws Exception {
        source = Files.copy(template.resolve("filled.db"), dir.resolve("source.db"));
    }

    @Test
    void copiesTheApplicationsTablesIntoANewOwnerOnlyFileAndLeavesOtherTablesAlone() throws Exception {
        Path target = dir.resolve("target.db");
        assertEquals(MigrateDatabase.VERIFIED, run(source, target), err.toString());
        assertTrue(out.toString().contains("verified: " + ApplicationTables.of(DatabaseKind.SQLITE).names().size()
                + " tables"), out.toString());
        assertTrue(out.toString().contains("copied projects: 3 rows"), out.toString());
        assertEquals(List.of("3"), Filled.strings(sqlite(target), "SELECT COUNT(*) FROM tokens"));
        assertEquals(List.of(), Filled.strings(sqlite(target),
                "SELECT name FROM sqlite_master WHERE name = 'notes'"), "a table that is not the application's stays");
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(target));
        assertEquals(List.of("not ours"), Filled.strings(sqlite(source), "SELECT text FROM notes"));

        Path occupied = dir.resolve("occupied.db");
        Filled.execute(sqlite(occupied), "CREATE TABLE keep (n INTEGER)");
        Filled.execute(sqlite(occupied), "INSERT INTO keep VALUES (42)");
        assertEquals(MigrateDatabase.VERIFIED, run(source, occupied), err.toString());
        assertEquals(List.of("42"), Filled.strings(sqlite(occupied), "SELECT n FROM keep"),
                "an unrelated table in the target survives");
    }

    @Test
    void refusesASourceFileThatDoesNotExistAndDoesNotCreateIt() throws Exception {
        Path missing = dir.resolve("typo.db");
        assertEquals(MigrateDatabase.REFUSED, run(missing, dir.resolve("t.db")));
        assertTrue(err.toString().contains("jdbc:sqlite:" + missing + " does not exist"), err.toString());
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(dir.resolve("t.db")));
    }

    @Test
    void refusesASourceThatIsNotAnLlmProxyDatabaseAndChangesNothingInIt() throws Exception {
        Path other = dir.resolve("other.db");
        Filled.execute(sqlite(other), "CREATE TABLE notes (text TEXT)");
        assertEquals(MigrateDatabase.REFUSED, run(other, dir.resolve("t.db")));
        assertTrue(err.toString().contains("The source jdbc:sqlite:" + other + " holds no LLM Proxy schema"),
                err.toString());
        assertTrue(err.toString().contains("found none of those tables"), err.toString());
        assertEquals(List.of("notes"), Filled.strings(sqlite(other), "SELECT name FROM sqlite_master"),
                "no Liquibase table, no application table was created in it");
    }

    @Test
    void refusesASourceWithNothingToCopy() throws Exception {
        Path empty = dir.resolve("empty.db");
        new SchemaMigrator().migrate(sqlite(empty), DatabaseKind.SQLITE);
        assertEquals(MigrateDatabase.REFUSED, run(empty, dir.resolve("t.db")));
        assertTrue(err.toString().contains("has the LLM Proxy tables but no rows in any of them"), err.toString());
        assertTrue(err.toString().contains("nothing to copy"), err.toString());
    }

    @Test
    void refusesATargetThatHoldsDataAndLeavesItAsItWas() throws Exception {
        Path target = Files.copy(source, dir.resolve("target.db"));
        Filled.execute(sqlite(target), "DELETE FROM tokens");
        Filled.execute(sqlite(target), "DELETE FROM project_upstreams");
        Filled.execute(sqlite(target), "DELETE FROM projects WHERE name <> 'project-1'");
        assertEquals(MigrateDatabase.REFUSED, run(source, target));
        assertTrue(err.toString().contains("The target jdbc:sqlite:" + target + " already holds data (projects: 1"
                + " rows)"), err.toString());
        assertTrue(err.toString().contains("migrate into a new, empty database"), err.toString());
        assertEquals(List.of("project-1"), Filled.strings(sqlite(target), "SELECT name FROM projects"));

        assertEquals(MigrateDatabase.REFUSED, run(source, source), "into itself");
        assertEquals(List.of("3"), Filled.strings(sqlite(source), "SELECT COUNT(*) FROM projects"));
    }

    @Test
    void refusesATargetWithATableOfTheApplicationsNameThatItsChangelogDidNotCreate() throws Exception {
        Path target = dir.resolve("target.db");
        Filled.execute(sqlite(target), "CREATE TABLE projects (title TEXT)");
        Filled.execute(sqlite(target), "INSERT INTO projects VALUES ('someone else''s')");
        assertEquals(MigrateDatabase.REFUSED, run(source, target));
        assertTrue(err.toString().contains("already has tables named [projects] that the LLM Proxy changelogs did"
                + " not create there"), err.toString());
        assertEquals(List.of("someone else's"), Filled.strings(sqlite(target), "SELECT title FROM projects"));
        assertEquals(List.of("projects"), Filled.strings(sqlite(target), "SELECT name FROM sqlite_master"));
    }

    @Test
    void refusesASourceMigratedByANewerVersion() throws Exception {
        Filled.execute(sqlite(source), "INSERT INTO databasechangelog (id, author, filename, dateexecuted,"
                + " orderexecuted, exectype) VALUES ('9999-future', 'llm-proxy', '" + DatabaseKind.SQLITE.changelog()
                + "', '2027-01-01', 999, 'EXECUTED')");
        assertEquals(MigrateDatabase.REFUSED, run(source, dir.resolve("t.db")));
        assertTrue(err.toString().contains("records change sets this LLM Proxy does not know [9999-future]"),
                err.toString());
    }

    @Test
    void readsTheFileOfEachFormOfSqliteUrl() {
        assertEquals(Optional.of(Path.of("/var/lib/x.db")), MigrateDatabase.sqliteFile("jdbc:sqlite:/var/lib/x.db"));
        assertEquals(Optional.of(Path.of("/var/lib/x.db")),
                MigrateDatabase.sqliteFile("jdbc:sqlite:file:/var/lib/x.db?journal_mode=WAL"));
        assertEquals(Optional.of(Path.of("/var/lib/x.db")),
                MigrateDatabase.sqliteFile("jdbc:sqlite:/var/lib/x.db?busy_timeout=5000"));
        assertEquals(Optional.empty(), MigrateDatabase.sqliteFile("jdbc:sqlite::memory:"));
        assertEquals(Optional.empty(), MigrateDatabase.sqliteFile("jdbc:sqlite:"));
    }

    private int run(Path from, Path to) {
        out.reset();
        err.reset();
        return MigrateDatabase.run(new String[] {"--from", "jdbc:sqlite:" + from, "--to", "jdbc:sqlite:" + to},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }
}
