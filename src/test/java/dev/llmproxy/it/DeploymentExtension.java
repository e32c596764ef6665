package dev.llmproxy.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts one {@link Deployment} (database, provider mock, container with the WAR) before the first test of the
 * class that registers it, and stops it after the last. Register it in a static field, so that it lives as long as
 * the class:
 * <pre>
 * &#64;RegisterExtension
 * static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("tomcat", "sqlite", TokenVia.SYSTEM_PROPERTY);
 * </pre>
 * A failing test gets the end of the container's log printed next to it, in the test's report.
 */
final class DeploymentExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private final String container;
    private final String database;
    private final Deployment.TokenVia tokenVia;
    private final OwnDatabase own;
    private final java.util.Map<String, String> settings;
    private final java.util.function.Consumer<AppServer> prepare;
    private Deployment deployment;

    /**
     * @param container "tomcat" or "wildfly"
     * @param database  "sqlite" or "postgresql"
     */
    DeploymentExtension(String container, String database, Deployment.TokenVia tokenVia) {
        this(container, database, tokenVia, server -> { });
    }

    /** @param prepare run on the container before it starts (e.g. {@link TomcatServer#prepareForRedeploys}) */
    DeploymentExtension(String container, String database, Deployment.TokenVia tokenVia,
                        java.util.function.Consumer<AppServer> prepare) {
        this.container = container;
        this.database = database;
        this.tokenVia = tokenVia;
        this.prepare = prepare;
        this.own = null;
        this.settings = java.util.Map.of();
    }

    /**
     * A deployment on a database the test owns (a server it may stop, a disk it may fill), opened before the
     * container starts and closed after it stopped; {@code settings} go over {@link Deployment#TEST_SETTINGS}.
     */
    DeploymentExtension(String container, OwnDatabase own, java.util.Map<String, String> settings) {
        this.container = container;
        this.database = "an own database";
        this.tokenVia = Deployment.TokenVia.SYSTEM_PROPERTY;
        this.own = own;
        this.settings = settings;
        this.prepare = server -> { };
    }

    /** A database a test owns and may take away: opened once for its deployment, closed after the container. */
    interface OwnDatabase extends AutoCloseable {
        TestDatabase open();

        @Override
        void close();
    }

    /** The running deployment; only between the class's first and last test. */
    Deployment deployment() {
        if (deployment == null) {
            throw new IllegalStateException(container + " on " + database + " is not started: register the"
                    + " DeploymentExtension in a static @RegisterExtension field");
        }
        return deployment;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        deployment = own == null ? Deployment.start(container, database, tokenVia, prepare)
                : Deployment.start(container, own.open(), settings, tokenVia, prepare);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (deployment != null) {
            try {
                deployment.close();
            } finally {
                deployment = null;
                if (own != null) {
                    own.close();
                }
            }
        } else if (own != null) {
            own.close();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (deployment != null) {
            System.out.println("[log] " + context.getDisplayName() + " failed; the end of " + deployment.server().name()
                    + "'s log:\n" + Readiness.tail(deployment.server().log()));
        }
    }
}
