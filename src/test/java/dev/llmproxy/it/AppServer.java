package dev.llmproxy.it;

import java.time.Duration;

/** A container with the WAR deployed at /llm-proxy, as the integration tests drive it. */
public interface AppServer extends AutoCloseable {

    /** e.g. {@code http://127.0.0.1:34567/llm-proxy} */
    String baseUrl();

    /** Starts the container and waits until /health/ready answers 200. Returns the time that took. */
    Duration start();

    void stop();

    /** Everything the container wrote to its console and log so far. */
    String log();

    String name();

    /** Undeploys the WAR as an administrator would, returning once the application has stopped. */
    void undeploy();

    /** Deploys the WAR again and waits until it is ready. */
    void redeploy();

    /**
     * Deploys the WAR again over the running deployment, as an administrator rolls out a new build (the old one is
     * undeployed by the container), and returns once the new one is ready.
     */
    void replaceWar();

    /** Runs a jcmd diagnostic command on the server's JVM (see {@link JvmProbe}). */
    String jcmd(String... command);

    /** The process id of the server's JVM (WildFly's launch script starts it as a child), for its memory figures. */
    long javaPid();

    /** Thread dumps of the server's JVMs, to see what a request that never answered waits on. */
    String threadDump();

    @Override
    default void close() {
        stop();
    }
}
