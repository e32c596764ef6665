package dev.llmproxy.it;

import dev.llmproxy.it.Deployment.TokenVia;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WildFly configured by server-config/wildfly/sqlite-datasource.cli. */
class WildFlySqliteIT implements DeploymentContract, ProxyContract, UsageContract, AllowlistContract, BudgetContract,
        RateLimitContract, RoutingContract, UpstreamFaultContract, CacheContract, MetricsContract, BackupContract,
        KeepAliveContract, HostileInputContract, HttpFuzzContract, DatabaseFaultContract, OwnerOnlyFilesContract,
        VertexContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("wildfly", "sqlite", TokenVia.SYSTEM_PROPERTY);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }
}
