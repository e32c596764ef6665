package dev.llmproxy.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.it.TestDatabase;
import dev.llmproxy.it.TestPostgres;
import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.OwnerOnlyFiles;
import dev.llmproxy.persistence.SchemaMigrator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The migration command on the PostgreSQL server, in schemas named by {@code currentSchema}: one database holds the
 * application in schema {@code llm_src} beside tables that are not the application's: a {@code projects} table of
 * someone else's in {@code public} (same name, other schema), a table in the source schema and one in the target
 * schema. Every one of them must come through untouched, and URLs naming the wrong schema are refused.
 */
class DatabaseMigrationIT {
    private static final String SOURCE = "llm_src";
    private static TestDatabase db;
    @TempDir
    Path dir;

    @BeforeAll
    static void applicationInItsSchemaBesideOthers() throws Exception {
        db = TestPostgres.server().createDatabase("migration_schemas");
        PGSimpleDataSource admin = pg(null);
        Filled.execute(admin, "CREATE SCHEMA " + SOURCE);
        Filled.execute(admin, "CREATE TABLE public.projects (title TEXT)");
        Filled.execute(admin, "INSERT INTO public.projects VALUES ('someone else''s')");
        Filled.execute(admin, "CREATE TABLE " + SOURCE + ".keep_me (n INTEGER)");
        Filled.execute(admin, "INSERT INTO " + SOURCE + ".keep_me VALUES (7)");
        Filled.with(pg(SOURCE), DatabaseKind.POSTGRESQL, 3);
    }

    @Test
    void copiesBetweenTheSchemasTheUrlsNameAndLeavesEveryOtherTableAlone() throws Exception {
        Filled.execute(pg(null), "CREATE SCHEMA llm_dst");
        Filled.execute(pg(null), "CREATE TABLE llm_dst.notes (text TEXT)");
        Filled.execute(pg(null), "INSERT INTO llm_dst.notes VALUES ('also not ours')");

        Outcome copied = run(url(SOURCE), url("llm_dst"));
        assertEquals(MigrateDatabase.VERIFIED, copied.status(), copied.toString());
        assertTrue(copied.out().contains("source: schema \"" + SOURCE + "\" of " + url(SOURCE)), copied.out());
        assertTrue(copied.out().contains("copied projects: 3 rows"), copied.out());
        assertEquals(List.of("3"), Filled.strings(pg(null), "SELECT COUNT(*) FROM llm_dst.tokens"));
        // Liquibase worked in the schema of currentSchema too: its changelog is there, and not in public.
        assertEquals(Filled.strings(pg(null), "SELECT COUNT(*) FROM " + SOURCE + ".databasechangelog"),
                Filled.strings(pg(null), "SELECT COUNT(*) FROM llm_dst.databasechangelog"), "every change set, as in the source");
        assertEquals(List.of("projects"), tables("public"), "public holds only the stranger's table");
        assertEquals(List.of("title"), Filled.strings(pg(null), "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = 'projects'"));
        assertEquals(List.of("someone else's"), Filled.strings(pg(null), "SELECT title FROM public.projects"));
        assertEquals(List.of("also not ours"), Filled.strings(pg(null), "SELECT text FROM llm_dst.notes"));
        assertEquals(List.of("7"), Filled.strings(pg(null), "SELECT n FROM " + SOURCE + ".keep_me"));
        // The identity sequences moved past the copied ids, in the target's schema.
        Filled.execute(pg(null), "INSERT INTO llm_dst.rejected_records (request_id, rejected_at, reason, record)"
                + " VALUES ('r', now(), 'test', '{}')");

        Path back = dir.resolve("back.db");
        Outcome toSqlite = run(url("llm_dst"), "jdbc:sqlite:" + back);
        assertEquals(MigrateDatabase.VERIFIED, toSqlite.status(), toSqlite.toString());
        assertEquals(List.of("3"), Filled.strings(sqlite(back), "SELECT COUNT(*) FROM tokens"));
        assertEquals(List.of("1"), Filled.strings(sqlite(back), "SELECT COUNT(*) FROM rejected_records"));
        assertEquals(OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(back));
        System.out.println("[migration] " + SOURCE + " -> llm_dst -> SQLite: "
                + toSqlite.out().lines().filter(l -> l.startsWith("verified")).toList());
    }

    @Test
    void refusesASourceUrlWhoseSchemaHoldsNoApplicationOrDoesNotExistOrIsEmpty() throws Exception {
        Outcome wrongSchema = run(url("public"), "jdbc:sqlite:" + dir.resolve("a.db"));
        assertEquals(MigrateDatabase.REFUSED, wrongSchema.status(), wrongSchema.toString());
        assertTrue(wrongSchema.err().contains("The source schema \"public\" of " + url("public")
                + " holds no LLM Proxy schema"), wrongSchema.err());
        assertTrue(wrongSchema.err().contains("found only the tables [projects]"), wrongSchema.err());
        assertTrue(wrongSchema.err().contains("a databasechangelog table is in schema ") && wrongSchema.err()
                .contains(SOURCE), wrongSchema.err());
        assertEquals(List.of("projects"), tables("public"), "nothing was created in the schema it refused");
        assertEquals(List.of("title"), Filled.strings(pg(null), "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = 'projects'"));

        Outcome missing = run(url("no_such_schema"), "jdbc:sqlite:" + dir.resolve("b.db"));
        assertEquals(MigrateDatabase.REFUSED, missing.status(), missing.toString());
        assertTrue(missing.err().contains("The source " + url("no_such_schema") + " names no schema that exists"
                + " (search_path no_such_schema)"), missing.err());

        Filled.execute(pg(null), "CREATE SCHEMA llm_empty");
        new SchemaMigrator().migrate(pg("llm_empty"), DatabaseKind.POSTGRESQL);
        Outcome empty = run(url("llm_empty"), "jdbc:sqlite:" + dir.resolve("c.db"));
        assertEquals(MigrateDatabase.REFUSED, empty.status(), empty.toString());
        assertTrue(empty.err().contains("The source schema \"llm_empty\" of " + url("llm_empty") + " has the LLM"
                + " Proxy tables but no rows in any of them"), empty.err());
        System.out.println("[migration] refused: " + List.of(wrongSchema.err().strip(), missing.err().strip(),
                empty.err().strip()));
    }

    @Test
    void refusesATargetSchemaWithAStrangersTableOfAnApplicationNameOrWithData() throws Exception {
        Outcome stranger = run(url(SOURCE), url("public"));
        assertEquals(MigrateDatabase.REFUSED, stranger.status(), stranger.toString());
        assertTrue(stranger.err().contains("The target schema \"public\" of " + url("public") + " already has tables"
                + " named [projects] that the LLM Proxy changelogs did not create there"), stranger.err());
        assertEquals(List.of("projects"), tables("public"));
        assertEquals(List.of("someone else's"), Filled.strings(pg(null), "SELECT title FROM public.projects"));

        Outcome occupied = run(url(SOURCE), url(SOURCE));
        assertEquals(MigrateDatabase.REFUSED, occupied.status(), occupied.toString());
        assertTrue(occupied.err().contains("already holds data (project_upstreams: 3 rows, projects: 3 rows,"
                + " tokens: 3 rows)"), occupied.err());
        assertEquals(List.of("3"), Filled.strings(pg(null), "SELECT COUNT(*) FROM " + SOURCE + ".projects"));
    }

    private record Outcome(int status, String out, String err) {
    }

    private Outcome run(String from, String to) throws Exception {
        List<String> args = new ArrayList<>(List.of("--from", from, "--to", to));
        Path password = Files.writeString(dir.resolve("pg-password"), db.password());
        for (String side : new String[] {"from", "to"}) {
            args.addAll(List.of("--" + side + "-user", db.user(), "--" + side + "-password-file", password.toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MigrateDatabase.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> tables(String schema) throws Exception {
        return Filled.strings(pg(null), "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = '" + schema
                + "' ORDER BY tablename");
    }

    private static String url(String schema) {
        return db.jdbcUrl() + "?currentSchema=" + schema;
    }

    private static PGSimpleDataSource pg(String schema) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(schema == null ? db.jdbcUrl() : url(schema));
        pg.setUser(db.user());
        pg.setPassword(db.password());
        return pg;
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }
}
