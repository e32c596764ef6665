package dev.llmproxy.it;

import dev.llmproxy.it.Deployment.TokenVia;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tomcat with server-config/tomcat/llm-proxy-sqlite.xml; the management token comes from an environment variable. */
class TomcatSqliteIT implements DeploymentContract, ProxyContract, UsageContract, AllowlistContract, BudgetContract,
        RateLimitContract, RoutingContract, UpstreamFaultContract, CacheContract, MetricsContract, BackupContract,
        KeepAliveContract, HostileInputContract, HttpFuzzContract, DatabaseFaultContract, OwnerOnlyFilesContract,
        AzureEntraContract, VertexContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("tomcat", "sqlite", TokenVia.ENVIRONMENT_VARIABLE);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }
}
