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
 * Copies a whole LLM Proxy database into an empty one of either dialect, then verifies it. Both sides are first
 * brought to the latest schema by the same Liquibase changelogs the application uses; tables are copied in
 * foreign-key order, in batches, with progress; identity sequences are moved past the copied ids; finally each
 * table's row count and checksum are compared.
 */
public final class DatabaseMigration {
    private static final Set<String> LIQUIBASE = Set.of("databasechangelog", "databasechangeloglock");
    /** Tables that hold what people created: the target must have none of it. */
    private static final List<String> MUST_BE_EMPTY = List.of("projects", "tokens", "request_records");

    private final PrintStream out;
    private final int batchSize;

    public DatabaseMigration(PrintStream out, int batchSize) {
        this.out = out;
        this.batchSize = batchSize;
    }

    /** The outcome: tables, rows, and the tables whose count or checksum differ (empty when verified). */
    public record Result(int tables, long rows, List<String> mismatches) {
        public boolean verified() {
            return mismatches.isEmpty();
        }
    }

    public Result migrate(DataSource source, DataSource target) throws SQLException {
        try (Connection s = source.getConnection(); Connection t = target.getConnection()) {
            DatabaseKind sourceKind = DatabaseKind.of(s);
            DatabaseKind targetKind = DatabaseKind.of(t);
            out.printf("source: %s, target: %s%n", sourceKind.id(), targetKind.id());
            var migrator = new SchemaMigrator();
            out.printf("source schema: %d change sets applied now%n", migrator.migrate(source, sourceKind).appliedNow());
            out.printf("target schema: %d change sets applied now%n", migrator.migrate(target, targetKind).appliedNow());
            for (String table : MUST_BE_EMPTY) {
                if (count(t, table) > 0) {
                    throw new IllegalStateException("The target already holds data (table " + table + " is not empty);"
                            + " migrate into a new, empty database");
                }
            }
            List<String> tables = inForeignKeyOrder(t);
            t.setAutoCommit(false);
            try (Statement clear = t.createStatement()) {
                for (int i = tables.size() - 1; i >= 0; i--) {
                    String table = tables.get(i);
                    clear.executeUpdate("DELETE FROM " + table); // rows the changelogs seed, replaced by the source's
                }
            }
            t.commit();
            List<TableCopy> copies = new ArrayList<>();
            long rows = 0;
            for (String table : tables) {
                TableCopy copy = TableCopy.describe(s, t, table);
                copies.add(copy);
                long total = count(s, table);
                long started = System.nanoTime();
                long copied = copy.copy(s, t, batchSize, n -> out.printf("  %s: %d/%d rows%n", table, n, total));
                rows += copied;
                out.printf("copied %s: %d rows in %d ms%n", table, copied, (System.nanoTime() - started) / 1_000_000);
                if (targetKind == DatabaseKind.POSTGRESQL && copy.hasIdColumn()) {
                    try (Statement seq = t.createStatement()) {
                        seq.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT COALESCE("
                                + "MAX(id), 0) + 1 FROM " + table + "), false)");
                    }
                    t.commit();
                }
            }
            t.setAutoCommit(true);
            List<String> mismatches = new ArrayList<>();
            for (TableCopy copy : copies) {
                TableCopy.Summary from = copy.summarise(s);
                TableCopy.Summary to = copy.summarise(t);
                boolean same = from.equals(to);
                out.printf("verify %s: %d rows, checksum %s %s%n", copy.table(), to.rows(),
                        to.checksum().substring(0, 16), same ? "matches" : "DIFFERS (source " + from.rows() + " rows, "
                                + from.checksum().substring(0, 16) + ")");
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

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every application table, each after the tables its foreign keys point to. */
    private static List<String> inForeignKeyOrder(Connection c) throws SQLException {
        String schema = TableCopy.schema(c);
        Set<String> tables = new HashSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!LIQUIBASE.contains(name) && !name.startsWith("sqlite_")) {
                    tables.add(name);
                }
            }
        }
        Map<String, Set<String>> dependsOn = new HashMap<>();
        for (String table : tables) {
            Set<String> parents = new HashSet<>();
            try (ResultSet rs = c.getMetaData().getImportedKeys(null, schema, table)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(table)) {
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
