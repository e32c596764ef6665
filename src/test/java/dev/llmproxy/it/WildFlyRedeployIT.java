package dev.llmproxy.it;

import dev.llmproxy.it.Deployment.TokenVia;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WildFly on PostgreSQL (server-config/wildfly/postgresql-datasource.cli): the deployment replaced three times
 * under load ({@code deploy --force}), and an undeploy amid 200 calls (see {@link RedeployContract}).
 */
class WildFlyRedeployIT implements RedeployContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("wildfly", "postgresql",
            TokenVia.SYSTEM_PROPERTY);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }

    @Override
    public int redeploys() {
        return 3;
    }

    @Override
    public String applicationClassLoader() {
        return "org.jboss.modules.ModuleClassLoader";
    }
}
