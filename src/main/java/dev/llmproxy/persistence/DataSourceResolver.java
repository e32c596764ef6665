package dev.llmproxy.persistence;

import dev.llmproxy.config.Settings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Finds the application's DataSource: the container's {@code java:comp/env/jdbc/llmproxy} when it is bound,
 * otherwise an embedded SQLite file in the data directory. The choice is logged, since it decides where every
 * record goes.
 */
public final class DataSourceResolver {
    /** The one logical resource name the code knows; server-config binds it per container. */
    public static final String RESOURCE_NAME = "jdbc/llmproxy";
    private static final Logger LOG = Logger.getLogger(DataSourceResolver.class.getName());

    private final Optional<Context> environment;
    private final OwnerOnlyFiles files = new OwnerOnlyFiles();

    /** @param environment the {@code java:comp/env} context, empty where there is no JNDI at all */
    public DataSourceResolver(Optional<Context> environment) {
        this.environment = environment;
    }

    public ApplicationDataSource resolve(Settings settings) {
        Optional<DataSource> container = lookupContainerDataSource();
        if (container.isPresent()) {
            DatabaseKind kind = kindOf(container.get(), "java:comp/env/" + RESOURCE_NAME);
            String description = "container DataSource java:comp/env/" + RESOURCE_NAME + " (" + kind.id() + ")";
            LOG.info(() -> "LLM Proxy uses the " + description);
            return new ApplicationDataSource(withConnectionSettings(container.get(), kind, settings), kind,
                    description, () -> { });
        }
        var pool = EmbeddedSqlite.open(settings, files);
        String description = "embedded SQLite database " + settings.dataDir().resolve(EmbeddedSqlite.FILE_NAME);
        LOG.info(() -> "No DataSource is bound at java:comp/env/" + RESOURCE_NAME + "; LLM Proxy uses the "
                + description + ". Bind " + RESOURCE_NAME + " in the container to use another database.");
        return new ApplicationDataSource(withConnectionSettings(pool, DatabaseKind.SQLITE, settings),
                DatabaseKind.SQLITE, description, pool);
    }

    private Optional<DataSource> lookupContainerDataSource() {
        if (environment.isEmpty()) {
            return Optional.empty();
        }
        try {
            Object bound = environment.get().lookup(RESOURCE_NAME);
            if (bound instanceof DataSource dataSource) {
                return Optional.of(dataSource);
            }
            throw new IllegalStateException("java:comp/env/" + RESOURCE_NAME + " is bound to a "
                    + bound.getClass().getName() + ", not a javax.sql.DataSource");
        } catch (NameNotFoundException e) {
            return Optional.empty();
        } catch (NamingException e) {
            throw new IllegalStateException("Cannot look up java:comp/env/" + RESOURCE_NAME + ": " + e.getMessage(), e);
        }
    }

    private DataSource withConnectionSettings(DataSource dataSource, DatabaseKind kind, Settings settings) {
        if (kind != DatabaseKind.SQLITE) {
            return dataSource;
        }
        try {
            // Before this WAR writes anything: a container's DataSource may just have created the file (empty, with
            // SQLite's default rw-r--r-- less the umask), or an older file may be wider; this narrows it, and with it
            // every -wal and -shm made later.
            SqliteFiles.restrict(dataSource, files);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot find the SQLite database's file: " + e.getMessage(), e);
        }
        try {
            SqliteConnectionSettings.enableWal(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot switch the SQLite database to WAL mode: " + e.getMessage(), e);
        }
        return new SqliteConnectionSettings(dataSource, settings.sqliteBusyTimeoutMs());
    }

    private static DatabaseKind kindOf(DataSource dataSource, String name) {
        try (Connection connection = dataSource.getConnection()) {
            return DatabaseKind.of(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the database behind " + name + ": " + e.getMessage(), e);
        }
    }
}
