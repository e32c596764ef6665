package dev.llmproxy.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases LLM Proxy runs on, recognised from the JDBC connection; each has its own changelog. */
public enum DatabaseKind {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String id;

    DatabaseKind(String id) {
        this.id = id;
    }

    /** Lower-case name used in paths and health output. */
    public String id() {
        return id;
    }

    /** The classpath location of this dialect's master changelog. */
    public String changelog() {
        return "db/changelog/" + id + "/db.changelog-master.xml";
    }

    public static DatabaseKind of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String normalized = product.toLowerCase(Locale.ROOT);
        if (normalized.contains("sqlite")) {
            return SQLITE;
        }
        if (normalized.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new UnsupportedDatabaseException(product);
    }
}
