package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The non-blocking HTTP client that talks to providers (Jetty's): a few selector threads serve thousands of open
 * streams, and {@link #close()} stops every thread it started, so nothing outlives the WAR.
 */
public final class UpstreamClient implements AutoCloseable {
    private final HttpClient client;

    public UpstreamClient(ProxySettings settings) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("llm-proxy-upstream");
        threads.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(settings.connectTimeoutMs());
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(10_000);
        client.setMaxRequestsQueuedPerDestination(10_000);
        client.setUserAgentField(null);
        // No cookie jar: a provider's Set-Cookie must never ride along on another caller's (or project's) request.
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        // Bodies pass through as the provider sent them; the proxy asks for identity encoding.
        client.getContentDecoderFactories().clear();
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the upstream HTTP client", e);
        }
    }

    Request newRequest(String url) {
        return client.newRequest(url);
    }

    Scheduler scheduler() {
        return client.getScheduler();
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
