package dev.llmproxy.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WildFly configured from server-config as for PostgreSQL, on a PostgreSQL server of the test's own that the
 * {@link DatabaseRestartContract} stops, starts and makes read-only under load.
 */
class WildFlyPostgresRestartIT implements DatabaseRestartContract {
    static final PrivatePostgres POSTGRES = new PrivatePostgres();
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("wildfly", POSTGRES,
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
