package dev.llmproxy.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WildFly configured from server-config as for SQLite, with the database file on a small disk of the test's own that
 * the {@link SqliteDiskFullContract} fills under load.
 */
class WildFlySqliteDiskFullIT implements SqliteDiskFullContract {
    static final SmallDisk DISK = new SmallDisk();
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("wildfly", DISK,
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
