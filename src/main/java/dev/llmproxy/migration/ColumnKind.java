package dev.llmproxy.migration;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.HexFormat;

/**
 * How a column's values are carried between the two dialects: SQLite declares timestamps and booleans as INTEGER
 * where PostgreSQL has TIMESTAMP WITH TIME ZONE and BOOLEAN, so the kind comes from whichever side is specific.
 */
enum ColumnKind {
    TIMESTAMP(Types.TIMESTAMP), BOOLEAN(Types.BOOLEAN), BYTES(Types.BINARY), INTEGER(Types.BIGINT),
    DECIMAL(Types.DECIMAL), TEXT(Types.VARCHAR);

    private final int sqlType;

    ColumnKind(int sqlType) {
        this.sqlType = sqlType;
    }

    /** The column's value as this kind carries it (Timestamp, Boolean, byte[], Long, BigDecimal, String), or null. */
    Object read(ResultSet rs, String column) throws SQLException {
        Object value = switch (this) {
            case TIMESTAMP -> rs.getTimestamp(column);
            case BOOLEAN -> rs.getBoolean(column);
            case BYTES -> rs.getBytes(column);
            case INTEGER -> rs.getLong(column);
            case DECIMAL -> rs.getBigDecimal(column);
            case TEXT -> rs.getString(column);
        };
        return rs.wasNull() ? null : value;
    }

    void bind(PreparedStatement write, int index, Object value) throws SQLException {
        if (value == null) {
            write.setNull(index, sqlType);
            return;
        }
        switch (this) {
            case TIMESTAMP -> write.setTimestamp(index, (Timestamp) value);
            case BOOLEAN -> write.setBoolean(index, (Boolean) value);
            case BYTES -> write.setBytes(index, (byte[]) value);
            case INTEGER -> write.setLong(index, (Long) value);
            case DECIMAL -> write.setBigDecimal(index, (BigDecimal) value);
            case TEXT -> write.setString(index, (String) value);
        }
    }

    /** The same text for the same value on either dialect: times as epoch ms, booleans as 0/1, bytes as hex. */
    String normalised(Object value) {
        if (value == null) {
            return "\u0000";
        }
        return switch (this) {
            case TIMESTAMP -> String.valueOf(((Timestamp) value).getTime());
            case BOOLEAN -> (Boolean) value ? "1" : "0";
            case BYTES -> HexFormat.of().formatHex((byte[]) value);
            case DECIMAL -> ((BigDecimal) value).stripTrailingZeros().toPlainString();
            case INTEGER, TEXT -> value.toString();
        };
    }

    static ColumnKind of(int sourceType, int targetType) {
        ColumnKind a = of(sourceType);
        ColumnKind b = of(targetType);
        for (ColumnKind specific : new ColumnKind[] {TIMESTAMP, BOOLEAN, BYTES, DECIMAL}) {
            if (a == specific || b == specific) {
                return specific;
            }
        }
        return a == INTEGER && b == INTEGER ? INTEGER : a == TEXT || b == TEXT ? TEXT : INTEGER;
    }

    private static ColumnKind of(int jdbcType) {
        return switch (jdbcType) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE, Types.TIME -> TIMESTAMP;
            case Types.BOOLEAN, Types.BIT -> BOOLEAN;
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> BYTES;
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> INTEGER;
            case Types.DECIMAL, Types.NUMERIC, Types.REAL, Types.FLOAT, Types.DOUBLE -> DECIMAL;
            default -> TEXT;
        };
    }
}
