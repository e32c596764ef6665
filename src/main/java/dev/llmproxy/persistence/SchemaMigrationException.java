package dev.llmproxy.persistence;

/** The changelog could not be applied; the WAR does not start on a schema it cannot trust. */
public final class SchemaMigrationException extends RuntimeException {
    public SchemaMigrationException(DatabaseKind kind, Throwable cause) {
        super("Applying the " + kind.id() + " schema changelog " + kind.changelog() + " failed: "
                + (cause == null ? "unknown cause" : cause.getMessage()), cause);
    }
}
