package dev.llmproxy.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a SQLite DataSource so that every connection handed out has foreign keys on, a busy timeout and
 * synchronous=NORMAL, whoever built the pool. These pragmas are per connection (https://sqlite.org/pragma.html),
 * and a container pool configured without them in its URL would otherwise run with SQLite's unsafe defaults
 * (foreign keys off, no busy timeout). Each is an in-process call costing microseconds. WAL mode is persistent in
 * the database file and is set once at start-up by {@link #enableWal(DataSource)}.
 */
public final class SqliteConnectionSettings implements DataSource {
    private final DataSource delegate;
    private final String pragmas;

    public SqliteConnectionSettings(DataSource delegate, int busyTimeoutMs) {
        this.delegate = delegate;
        this.pragmas = "PRAGMA busy_timeout=" + busyTimeoutMs;
    }

    /** Switches the database file to write-ahead logging; stays on for every later connection. */
    public static void enableWal(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return configure(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return configure(delegate.getConnection(username, password));
    }

    private Connection configure(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(pragmas);
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA synchronous=NORMAL");
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
