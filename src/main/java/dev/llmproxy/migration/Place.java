package dev.llmproxy.migration;

import dev.llmproxy.persistence.DatabaseKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Where one side's tables are: a SQLite file, or one schema of a PostgreSQL database, the one the JDBC URL names
 * ({@code currentSchema=...}; without it PostgreSQL's search path, normally {@code public}). Liquibase creates its
 * tables and the application's in that same schema (its default schema is the connection's {@code current_schema()}),
 * and every statement of the migration names its tables in it explicitly, so nothing depends on the search path.
 *
 * @param url the JDBC URL as given, less any password; for messages
 */
record Place(String side, DatabaseKind kind, String schema, String url) {

    /** Where {@code connection} works; refuses a PostgreSQL URL whose schema does not exist. */
    static Place of(String side, Connection connection, String url) throws SQLException {
        DatabaseKind kind = DatabaseKind.of(connection);
        if (kind == DatabaseKind.SQLITE) {
            return new Place(side, kind, null, url);
        }
        String schema = connection.getSchema(); // current_schema(): the first schema of the search path that exists
        if (schema == null) {
            throw new MigrationRefusedException("The " + side + " " + url + " names no schema that exists (search_path "
                    + searchPath(connection) + "): expected the schema of currentSchema=... in database "
                    + connection.getCatalog() + ". Create it first (CREATE SCHEMA ...) or correct the URL.");
        }
        return new Place(side, kind, schema, url);
    }

    /** The table's name as SQL: schema-qualified on PostgreSQL, whatever the search path. */
    String table(String name) {
        return schema == null ? name : quoted(schema) + "." + name;
    }

    /** Whether a row of DatabaseMetaData (TABLE_SCHEM, TABLE_NAME columns as given) is exactly this place's table. */
    boolean isTable(ResultSet row, String schemaColumn, String tableColumn, String table) throws SQLException {
        return row.getString(tableColumn).equalsIgnoreCase(table)
                && (schema == null || Objects.equals(schema, row.getString(schemaColumn)));
    }

    @Override
    public String toString() {
        return schema == null ? url : "schema \"" + schema + "\" of " + url;
    }

    static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String searchPath(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
