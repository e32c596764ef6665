package dev.llmproxy.persistence;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/** Recognises SQLite's "database is busy" failures, which a retried unit of work gets past. */
public final class SqliteBusy {
    private static final int SQLITE_BUSY = 5;

    private SqliteBusy() {
    }

    public static boolean causedBy(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() & 0xff) == SQLITE_BUSY) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("SQLITE_BUSY")) {
                return true;
            }
        }
        return false;
    }

    /** Sleeps a few milliseconds, growing with the attempt, with jitter so that retries do not collide again. */
    public static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the SQLite write lock", e);
        }
    }
}
