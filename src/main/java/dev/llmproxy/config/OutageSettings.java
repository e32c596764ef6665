package dev.llmproxy.config;

/**
 * What the proxy does while its database does not answer (#14). (How long a call may wait for the database is
 * {@link ProtectionSettings#databaseDeadlineMs}.)
 *
 * @param graceSeconds how long a token checked while the database still answered goes on being admitted from the
 *                     token cache once it no longer does; 0: not at all (a check older than one second is refused)
 */
public record OutageSettings(int graceSeconds) {
    public static final String GRACE_SECONDS = "database-outage-grace-seconds";

    static OutageSettings read(SettingsReader reader) {
        return new OutageSettings(reader.integer(GRACE_SECONDS, 30, 0, 3_600));
    }
}
