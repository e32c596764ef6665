package dev.llmproxy.persistence;

import javax.sql.DataSource;

/**
 * The DataSource the application uses, what it is (for the start-up log and health output), and how to release
 * it: an embedded pool is closed on undeploy, a container's DataSource belongs to the container and is left alone.
 */
public record ApplicationDataSource(DataSource dataSource, DatabaseKind kind, String description,
                                    AutoCloseable release) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        release.close();
    }
}
