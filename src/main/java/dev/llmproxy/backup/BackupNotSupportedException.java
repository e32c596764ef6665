package dev.llmproxy.backup;

import dev.llmproxy.DomainException;

/** The database is not SQLite: its own tools back it up. */
public final class BackupNotSupportedException extends DomainException {
    public BackupNotSupportedException(String kind) {
        super(Kind.NOT_IMPLEMENTED, "backup_not_supported", "Backups through the API are for SQLite; this database is "
                + kind + ". Use pg_dump, e.g. pg_dump -Fc -d <database> -f llm-proxy.dump (restore with pg_restore);"
                + " see docs/operations.md");
    }
}
