package dev.llmproxy.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class SchemaMigratorTest {
    /** A database that refuses every connection, each time with its own message. */
    private static final class Refusing implements DataSource {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("refusal " + attempts.incrementAndGet(), "08001");
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void bothFailuresOfTheRetriedMigrationAreKeptWithTheirCauses() {
        Refusing database = new Refusing();
        SchemaMigrationException failed = assertThrows(SchemaMigrationException.class,
                () -> new SchemaMigrator().migrate(database, DatabaseKind.SQLITE));
        assertEquals(2, database.attempts.get(), "one retry");
        Throwable second = failed.getCause();
        assertTrue(chain(second).contains("refusal 2"), chain(second));
        assertEquals(1, second.getSuppressed().length, "the first failure is not lost");
        assertTrue(chain(second.getSuppressed()[0]).contains("refusal 1"), chain(second.getSuppressed()[0]));
        assertTrue(failed.getMessage().contains("sqlite"), failed.getMessage());
    }

    private static String chain(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append(" <- ");
        }
        return s.toString();
    }
}
