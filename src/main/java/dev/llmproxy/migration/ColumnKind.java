package dev.llmproxy.migration;

import java.sql.Types;

/**
 * How a column's values are carried between the two dialects: SQLite declares timestamps and booleans as INTEGER
 * where PostgreSQL has TIMESTAMP WITH TIME ZONE and BOOLEAN, so the kind comes from whichever side is specific.
 */
enum ColumnKind {
    TIMESTAMP, BOOLEAN, BYTES, INTEGER, DECIMAL, TEXT;

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
