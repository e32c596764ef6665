package dev.llmproxy.persistence;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a database that cannot serve right now (gone, shutting down, read-only, its disk full) from a statement it
 * refuses: the first is worth a 503 and a retry, the second is a fault to report. By SQLState classes (SQL standard
 * and PostgreSQL, https://www.postgresql.org/docs/current/errcodes-appendix.html) and SQLite's primary result codes
 * (https://sqlite.org/rescode.html).
 */
public final class DatabaseFailures {
    /** 08 connection exception, 53 insufficient resources (disk full, out of memory, too many connections). */
    private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "53");
    /** 25006 read-only transaction (a standby, default_transaction_read_only); 57P01-03 shutdown, cannot connect. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("25006", "57P01", "57P02", "57P03");
    /** SQLite: BUSY, READONLY, IOERR, FULL, CANTOPEN. */
    private static final Set<Integer> SQLITE_UNAVAILABLE = Set.of(5, 8, 10, 13, 14);

    private DatabaseFailures() {
    }

    /** Whether {@code error}, or one of its causes, says the database cannot serve now rather than refusing a statement. */
    public static boolean unavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && unavailable(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean unavailable(SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (UNAVAILABLE_STATES.contains(state)
                || state.length() >= 2 && UNAVAILABLE_CLASSES.contains(state.substring(0, 2)))) {
            return true;
        }
        return sql.getClass().getName().startsWith("org.sqlite") && SQLITE_UNAVAILABLE.contains(sql.getErrorCode() & 0xFF);
    }
}
