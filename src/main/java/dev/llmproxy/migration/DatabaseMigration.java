package dev.llmproxy.migration;

import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.SchemaMigrator;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Copies a whole LLM Proxy database into an empty one of either dialect, then verifies it. It works only on the
 * application's tables ({@link ApplicationTables}: those the changelogs create) in the place each URL names (the
 * SQLite file, or the PostgreSQL schema of {@code currentSchema}), and first checks, changing nothing, that the source
 * is an LLM Proxy database with data and the target holds none ({@link Refusals}). Then both sides are brought to
 * the latest schema by the same Liquibase changelogs the application uses; tables are copied in foreign-key order,
 * in batches, with progress; identity sequences are moved past the copied ids; finally each table's row count and
 * checksum are compared. Other tables, in the same schema or elsewhere, and Liquibase's own are never read or written.
 */
public final class DatabaseMigration {
    private final PrintStream out;
    private final int batchSize;

    public DatabaseMigration(PrintStream out, int batchSize) {
        this.out = out;
        this.batchSize = batchSize;
    }

    /** One side: its DataSource and its JDBC URL without a password, for messages. */
    public record Side(DataSource dataSource, String url) {
    }

    /** The outcome: tables, rows, and the tables whose count or checksum differ (empty when verified). */
    public record Result(int tables, long rows, List<String> mismatches) {
        public boolean verified() {
            return mismatches.isEmpty();
        }
    }

    /** @throws MigrationRefusedException before changing anything, when a side is not what a migration needs */
    public Result migrate(Side source, Side target) throws SQLException {
        try (Connection s = source.dataSource().getConnection(); Connection t = target.dataSource().getConnection()) {
            Place from = Place.of("source", s, source.url());
            Place to = Place.of("target", t, target.url());
            out.printf("source: %s (%s)%ntarget: %s (%s)%n", from, from.kind().id(), to, to.kind().id());
            ApplicationTables sourceTables = ApplicationTables.of(from.kind());
            ApplicationTables tables = ApplicationTables.of(to.kind());
            if (!sourceTables.names().equals(tables.names())) {
                throw new IllegalStateException("The " + from.kind().id() + " and " + to.kind().id() + " changelogs"
                        + " create different tables: " + sourceTables.names() + " and " + tables.names());
            }
            Refusals.checkSource(from, Inventory.take(s, from, sourceTables), sourceTables, from.kind().changelog());
            Refusals.checkTarget(to, Inventory.take(t, to, tables), tables);
            var migrator = new SchemaMigrator();
            out.printf("source schema: %d change sets applied now%n",
                    migrator.migrate(source.dataSource(), from.kind()).appliedNow());
            out.printf("target schema: %d change sets applied now%n",
                    migrator.migrate(target.dataSource(), to.kind()).appliedNow());
            List<String> ordered = inForeignKeyOrder(t, to, tables.names());
            t.setAutoCommit(false);
            try (Statement clear = t.createStatement()) {
                for (int i = ordered.size() - 1; i >= 0; i--) {
                    if (tables.seeded().contains(ordered.get(i))) { // the changelog's own rows, replaced by the source's
                        clear.executeUpdate("DELETE FROM " + to.table(ordered.get(i)));
                    }
                }
            }
            t.commit();
            List<TableCopy> copies = new ArrayList<>();
            long rows = 0;
            for (String table : ordered) {
                TableCopy copy = TableCopy.describe(s, from, t, to, table);
                copies.add(copy);
                long total = Inventory.count(s, from.table(table));
                long started = System.nanoTime();
                long copied = copy.copy(s, from, t, to, batchSize,
                        n -> out.printf("  %s: %d/%d rows%n", table, n, total));
                rows += copied;
                out.printf("copied %s: %d rows in %d ms%n", table, copied, (System.nanoTime() - started) / 1_000_000);
                if (to.kind() == DatabaseKind.POSTGRESQL && copy.hasIdColumn()) {
                    try (Statement seq = t.createStatement()) {
                        seq.execute("SELECT setval(pg_get_serial_sequence('" + to.table(table).replace("'", "''")
                                + "', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM " + to.table(table) + "), false)");
                    }
                    t.commit();
                }
            }
            t.setAutoCommit(true);
            List<String> mismatches = new ArrayList<>();
            for (TableCopy copy : copies) {
                TableCopy.Summary was = copy.summarise(s, from);
                TableCopy.Summary is = copy.summarise(t, to);
                boolean same = was.equals(is);
                out.printf("verify %s: %d rows, checksum %s %s%n", copy.table(), is.rows(),
                        is.checksum().substring(0, 16), same ? "matches" : "DIFFERS (source " + was.rows() + " rows, "
                                + was.checksum().substring(0, 16) + ")");
                if (!same) {
                    mismatches.add(copy.table());
                }
            }
            Result result = new Result(copies.size(), rows, mismatches);
            out.println(result.verified()
                    ? "verified: " + result.tables() + " tables, " + rows + " rows; row counts and checksums match"
                    : "NOT verified: " + mismatches + " differ");
            return result;
        }
    }

    /** The application's tables, each after the tables its foreign keys point to. */
    private static List<String> inForeignKeyOrder(Connection c, Place place, Set<String> tables) throws SQLException {
        Map<String, Set<String>> dependsOn = new HashMap<>();
        for (String table : tables) {
            Set<String> parents = new HashSet<>();
            try (ResultSet rs = c.getMetaData().getImportedKeys(null, place.schema(), table)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (place.isTable(rs, "FKTABLE_SCHEM", "FKTABLE_NAME", table) && tables.contains(parent)
                            && !parent.equals(table)) {
                        parents.add(parent);
                    }
                }
            }
            dependsOn.put(table, parents);
        }
        Set<String> ordered = new LinkedHashSet<>();
        while (ordered.size() < tables.size()) {
            boolean progressed = false;
            for (String table : tables.stream().sorted().toList()) {
                if (!ordered.contains(table) && ordered.containsAll(dependsOn.get(table))) {
                    ordered.add(table);
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("Foreign keys form a cycle among " + tables);
            }
        }
        return List.copyOf(ordered);
    }
}
