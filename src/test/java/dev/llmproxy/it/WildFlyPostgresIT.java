package dev.llmproxy.it;

import dev.llmproxy.it.Deployment.TokenVia;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WildFly configured by server-config/wildfly/postgresql-datasource.cli. */
class WildFlyPostgresIT implements DeploymentContract, ProxyContract, UsageContract, AllowlistContract, BudgetContract,
        RateLimitContract, RoutingContract, UpstreamFaultContract, CacheContract, MetricsContract, BackupContract, KeepAliveContract,
        HostileInputContract, HttpFuzzContract, DatabaseFaultContract,
        DatabaseOutageContract, AzureEntraContract, VertexContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("wildfly", "postgresql", TokenVia.SYSTEM_PROPERTY);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }
}
