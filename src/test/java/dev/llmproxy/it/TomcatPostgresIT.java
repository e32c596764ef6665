package dev.llmproxy.it;

import dev.llmproxy.it.Deployment.TokenVia;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tomcat with server-config/tomcat/llm-proxy-postgresql.xml; the management token is a system property. */
class TomcatPostgresIT implements DeploymentContract, ProxyContract, UsageContract, AllowlistContract, BudgetContract,
        RateLimitContract, RoutingContract, UpstreamFaultContract, CacheContract, MetricsContract, BackupContract, KeepAliveContract,
        HostileInputContract, HttpFuzzContract, DatabaseFaultContract,
        DatabaseOutageContract, VertexContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("tomcat", "postgresql", TokenVia.SYSTEM_PROPERTY);

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }
}
