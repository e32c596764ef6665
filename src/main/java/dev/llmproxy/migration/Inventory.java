package dev.llmproxy.migration;

import dev.llmproxy.persistence.DatabaseKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one place holds before anything is changed, read only: the change sets Liquibase recorded there from the
 * application's changelog ({@code recorded}; {@code foreignChangeSets} are ids from that changelog this version does
 * not know, so a newer version wrote them), which application tables exist, and how many rows of data each holds (rows the changelog seeds itself not counted).
 * On PostgreSQL it also notes the other schemas of the database that hold a Liquibase changelog, to point at them
 * when the URL names the wrong one.
 */
record Inventory(Set<String> recorded, Set<String> foreignChangeSets, Set<String> tables, Map<String, Long> dataRows,
                 List<String> otherSchemasWithChangelog) {
    private static final String CHANGELOG = "databasechangelog";

    static Inventory take(Connection c, Place place, ApplicationTables application) throws SQLException {
        Set<String> present = new TreeSet<>();
        boolean hasChangelog = false;
        for (String table : tablesIn(c, place)) {
            hasChangelog |= table.equals(CHANGELOG);
            if (application.contains(table)) {
                present.add(table);
            }
        }
        Set<String> recorded = new LinkedHashSet<>();
        Set<String> foreign = new TreeSet<>();
        if (hasChangelog) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, filename FROM " + place.table(CHANGELOG))) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!place.kind().changelog().equals(rs.getString(2))) {
                        continue; // another application's change set, in a changelog table it shares with us
                    }
                    (application.changeSetIds().contains(id) ? recorded : foreign).add(id);
                }
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : present) {
            if (!application.seeded().contains(table)) {
                rows.put(table, count(c, place.table(table)));
            }
        }
        return new Inventory(recorded, foreign, present, rows, otherSchemas(c, place));
    }

    long totalDataRows() {
        return dataRows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** "projects: 3 rows, tokens: 5 rows" for the tables that hold any. */
    String describeData() {
        return String.join(", ", dataRows.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + ": " + e.getValue() + " rows").toList());
    }

    private static List<String> tablesIn(Connection c, Place place) throws SQLException {
        List<String> names = new ArrayList<>();
        if (place.kind() == DatabaseKind.SQLITE) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            return names;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = ?")) {
            s.setString(1, place.schema());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static List<String> otherSchemas(Connection c, Place place) throws SQLException {
        List<String> schemas = new ArrayList<>();
        if (place.kind() != DatabaseKind.POSTGRESQL) {
            return schemas;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT schemaname FROM pg_catalog.pg_tables"
                + " WHERE tablename = ? AND schemaname <> ? ORDER BY schemaname")) {
            s.setString(1, CHANGELOG);
            s.setString(2, place.schema());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        return schemas;
    }

    static long count(Connection c, String qualifiedTable) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + qualifiedTable)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
