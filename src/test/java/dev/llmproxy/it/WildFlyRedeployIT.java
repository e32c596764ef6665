package dev.llmproxy.it;

import dev.llmproxy.it.Deployment.TokenVia;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WildFly on PostgreSQL (server-config/wildfly/postgresql-datasource.cli): the WAR replaced three times under load
 * ({@code deploy --force}) and an undeploy amid 200 calls (see {@link RedeployContract}), with worker threads that
 * retire after 5 s idle instead of 60 ({@link WildFlyServer#prepareForRedeploys}).
 */
class WildFlyRedeployIT implements RedeployContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("wildfly", "postgresql",
            TokenVia.SYSTEM_PROPERTY, server -> ((WildFlyServer) server).prepareForRedeploys());

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }

    @Override
    public int redeploys() {
        return 3;
    }

    /**
     * One request: a WildFly worker thread keeps the task it was started for as long as it lives (JBoss Threads'
     * {@code ThreadBody} holds it in its first frame), and one started while the application's code ran has its
     * class loader as context class loader; either holds the undeployed application. Many requests would keep such
     * threads alive; one keeps one thread busy, started for this request, and every other retires after 5 s
     * ({@link WildFlyServer#prepareForRedeploys}); and it moves the pool's queue on past the nodes of threads that
     * retired, which still name them.
     */
    @Override
    public void letTheContainerRenewItsThreads() {
        oneRequest();
    }

    @Override
    public String applicationClassLoader() {
        return "org.jboss.modules.ModuleClassLoader";
    }
}
