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
     * A pause longer than a worker thread waits for work, then one request. A WildFly worker thread keeps the task it
     * was started for as long as it lives (JBoss Threads' {@code ThreadBody} holds it in its first frame), and so that
     * task's deployment; the pool hands the next task to the thread that last waited, so sequential requests could
     * keep such a thread alive for good (seen in a heap dump: a request a poll, and the same thread served them all).
     * In the pause every worker thread retires ({@link WildFlyServer#prepareForRedeploys}); the request then starts a
     * new one from an I/O thread and moves the pool's queue on past the nodes of the threads that retired, which
     * still name them.
     */
    @Override
    public void letTheContainerRenewItsThreads() {
        try {
            Thread.sleep(WildFlyServer.WORKER_KEEPALIVE.plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        oneRequest();
    }

    @Override
    public String applicationClassLoader() {
        return "org.jboss.modules.ModuleClassLoader";
    }
}
