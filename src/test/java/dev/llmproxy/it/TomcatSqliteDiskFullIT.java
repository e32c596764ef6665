package dev.llmproxy.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tomcat configured from server-config as for SQLite, with the database file on a small disk of the test's own that
 * the {@link SqliteDiskFullContract} fills under load.
 */
class TomcatSqliteDiskFullIT implements SqliteDiskFullContract {
    static final SmallDisk DISK = new SmallDisk();
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("tomcat", DISK,
            DatabaseOutageLoad.SETTINGS);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }

    @Override
    public SmallDisk disk() {
        return DISK;
    }
}
