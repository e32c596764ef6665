package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that cannot serve now is told from a statement it refuses, through any wrapping. */
class DatabaseFailuresTest {

    @Test
    void goneReadOnlyFullOrShuttingDownIsUnavailable() {
        for (String state : new String[] {"08001", "08006", "25006", "53100", "53300", "57P01", "57P03"}) {
            assertTrue(DatabaseFailures.unavailable(new SQLException("x", state)), state);
        }
        assertTrue(DatabaseFailures.unavailable(new IllegalStateException("wrapped",
                new RuntimeException(new SQLException("x", "25006")))), "found among the causes");
    }

    @Test
    void aRefusedStatementOrAnUnknownFailureIsNot() {
        for (String state : new String[] {"23505", "22001", "42P01", "40001"}) {
            assertFalse(DatabaseFailures.unavailable(new SQLException("x", state)), state);
        }
        assertFalse(DatabaseFailures.unavailable(new SQLException("no state")));
        assertFalse(DatabaseFailures.unavailable(new IllegalStateException("no SQL at all")));
    }

    @Test
    void sqliteReadOnlyIsUnavailableAndItsConstraintIsNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1)");
            SQLException constraint = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO t VALUES (1)"));
            assertFalse(DatabaseFailures.unavailable(constraint), constraint.toString());
        }
        var config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
             Statement s = c.createStatement()) {
            SQLException readOnly = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO t VALUES (2)"));
            assertTrue(DatabaseFailures.unavailable(readOnly), readOnly.toString());
        }
        assertTrue(Files.exists(file));
    }
}
