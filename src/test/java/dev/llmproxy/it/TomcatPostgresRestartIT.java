package dev.llmproxy.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tomcat configured from server-config as for PostgreSQL, on a PostgreSQL server of the test's own that the
 * {@link DatabaseRestartContract} stops, starts and makes read-only under load.
 */
class TomcatPostgresRestartIT implements DatabaseRestartContract {
    static final PrivatePostgres POSTGRES = new PrivatePostgres();
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("tomcat", POSTGRES,
            DatabaseOutageLoad.SETTINGS);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }

    @Override
    public PrivatePostgres postgres() {
        return POSTGRES;
    }
}
