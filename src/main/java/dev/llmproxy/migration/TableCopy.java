package dev.llmproxy.migration;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** One table: its columns on both sides, the copy in batches, and a checksum of its rows in key order. */
final class TableCopy {
    private final String table;
    private final Map<String, ColumnKind> columns;
    private final List<String> key;

    private TableCopy(String table, Map<String, ColumnKind> columns, List<String> key) {
        this.table = table;
        this.columns = columns;
        this.key = key;
    }

    static TableCopy describe(Connection source, Place from, Connection target, Place to, String table)
            throws SQLException {
        Map<String, Integer> sourceTypes = types(source, from, table);
        Map<String, Integer> targetTypes = types(target, to, table);
        if (!sourceTypes.keySet().equals(targetTypes.keySet())) {
            throw new IllegalStateException("Table " + table + " has columns " + sourceTypes.keySet() + " in the source"
                    + " but " + targetTypes.keySet() + " in the target; are both at the same schema version?");
        }
        Map<String, ColumnKind> columns = new LinkedHashMap<>();
        sourceTypes.forEach((name, type) -> columns.put(name, ColumnKind.of(type, targetTypes.get(name))));
        List<String> key = new ArrayList<>();
        try (ResultSet rs = target.getMetaData().getPrimaryKeys(null, to.schema(), table)) {
            while (rs.next()) {
                if (to.isTable(rs, "TABLE_SCHEM", "TABLE_NAME", table)) {
                    key.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return new TableCopy(table, columns, key.isEmpty() ? List.copyOf(columns.keySet()) : key);
    }

    String table() {
        return table;
    }

    boolean hasIdColumn() {
        return columns.containsKey("id") && columns.get("id") == ColumnKind.INTEGER && key.equals(List.of("id"));
    }

    /** Copies every row; reports progress after each batch. Returns the rows copied. */
    long copy(Connection source, Place from, Connection target, Place to, int batchSize, Consumer<Long> progress)
            throws SQLException {
        String names = String.join(", ", columns.keySet());
        String marks = String.join(", ", columns.keySet().stream().map(c -> "?").toList());
        long copied = 0;
        try (Statement read = source.createStatement();
             PreparedStatement write = target.prepareStatement("INSERT INTO " + to.table(table) + " (" + names + ") VALUES ("
                     + marks + ")")) {
            read.setFetchSize(batchSize);
            try (ResultSet rs = read.executeQuery("SELECT " + names + " FROM " + from.table(table) + " ORDER BY "
                    + String.join(", ", key))) {
                int inBatch = 0;
                while (rs.next()) {
                    int i = 1;
                    for (var column : columns.entrySet()) {
                        column.getValue().bind(write, i++, column.getValue().read(rs, column.getKey()));
                    }
                    write.addBatch();
                    copied++;
                    if (++inBatch == batchSize) {
                        write.executeBatch();
                        target.commit();
                        inBatch = 0;
                        progress.accept(copied);
                    }
                }
                if (inBatch > 0) {
                    write.executeBatch();
                    target.commit();
                    progress.accept(copied);
                }
            }
        }
        return copied;
    }

    /**
     * Row count and a checksum over every value, normalised so that both dialects give the same for the same data.
     * Order-independent (the sum and the XOR of each row's SHA-256 prefix), so the two databases' different text
     * collations do not matter, and streaming, so a table of any size is read once.
     */
    Summary summarise(Connection c, Place place) throws SQLException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long rows = 0;
        long sum = 0;
        long xor = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT "
                + String.join(", ", columns.keySet()) + " FROM " + place.table(table))) {
            while (rs.next()) {
                rows++;
                for (var column : columns.entrySet()) {
                    ColumnKind kind = column.getValue();
                    sha.update(kind.normalised(kind.read(rs, column.getKey())).getBytes(
                            java.nio.charset.StandardCharsets.UTF_8));
                    sha.update((byte) 0x1f);
                }
                long row = java.nio.ByteBuffer.wrap(sha.digest()).getLong(); // digest() also resets
                sum += row;
                xor ^= row;
            }
        }
        return new Summary(rows, HexFormat.of().toHexDigits(sum) + HexFormat.of().toHexDigits(xor));
    }

    record Summary(long rows, String checksum) {
    }

    private static Map<String, Integer> types(Connection c, Place place, String table) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        DatabaseMetaData meta = c.getMetaData();
        // The names are patterns ("_" matches any character): keep only the rows of exactly this schema and table.
        try (ResultSet rs = meta.getColumns(null, place.schema(), table, null)) {
            while (rs.next()) {
                if (place.isTable(rs, "TABLE_SCHEM", "TABLE_NAME", table)) {
                    types.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
                }
            }
        }
        return types;
    }
}
