package dev.llmproxy.persistence;

/** The configured DataSource points at a database LLM Proxy has no changelog for. */
public final class UnsupportedDatabaseException extends RuntimeException {
    public UnsupportedDatabaseException(String product) {
        super("The DataSource is a '" + product + "' database; LLM Proxy supports SQLite and PostgreSQL");
    }
}
