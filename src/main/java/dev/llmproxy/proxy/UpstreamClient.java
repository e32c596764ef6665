package dev.llmproxy.proxy;

import dev.llmproxy.ApplicationThreads;
import dev.llmproxy.config.ProxySettings;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one HTTP client for all upstream calls (Jetty's: non-blocking, demand-driven content), started with the
 * application and stopped with it, so no thread outlives an undeploy. Its scheduler also times the exchanges.
 */
public final class UpstreamClient implements UpstreamTransport, Scheduling, AutoCloseable {
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor timers;

    public UpstreamClient(ProxySettings settings) {
        // Jetty's own pool and scheduler would start their threads on whatever thread first needs one, a request
        // thread of the container among them: ApplicationThreads says why they must not.
        QueuedThreadPool threads = new QueuedThreadPool(64, 4, 60_000, -1, null, null,
                ApplicationThreads.numbered("llm-proxy-upstream"));
        threads.setName("llm-proxy-upstream");
        threads.setDaemon(true);
        timers = new ScheduledThreadPoolExecutor(1, ApplicationThreads.named("llm-proxy-upstream-scheduler"));
        timers.setRemoveOnCancelPolicy(true); // a call's timers are cancelled when it ends: they go at once
        client = new HttpClient();
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler(timers));
        client.setConnectTimeout(settings.connectTimeoutMs());
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(10_000);
        client.setMaxRequestsQueuedPerDestination(10_000);
        client.setUserAgentField(null);
        // No cookie jar: a provider's Set-Cookie must never ride along on another caller's (or project's) request.
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the upstream HTTP client", e);
        }
    }

    @Override
    public Sending send(OutboundRequest outbound, Listener listener) {
        AtomicBoolean begun = new AtomicBoolean();
        Request request = client.newRequest(outbound.url())
                .method(outbound.method())
                .idleTimeout(outbound.idleTimeoutMs(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    // The proxy asks for identity encoding (OutboundRequests): its Accept-Encoding replaces the one
                    // Jetty puts on every request from its decoders (gzip), which are kept to decode an answer
                    // compressed all the same, so that the caller and the usage reading get it plain.
                    if (outbound.headers().contains(HttpHeader.ACCEPT_ENCODING)) {
                        headers.remove(HttpHeader.ACCEPT_ENCODING);
                    }
                    headers.add(outbound.headers());
                });
        if (outbound.body() != null) {
            request.body(new BytesRequestContent(outbound.contentType(), outbound.body()));
        }
        request.onResponseHeaders(r -> listener.onHeaders(new Response() {
                    @Override
                    public int status() {
                        return r.getStatus();
                    }

                    @Override
                    public HttpFields headers() {
                        return r.getHeaders();
                    }

                    @Override
                    public void abort(Throwable cause) {
                        r.abort(cause);
                    }
                }))
                .onResponseContentSource((r, source) -> listener.onContent(source))
                // Begun: the request was handed to an open connection to be written (Jetty's commit event comes only
                // once the headers' write completed, too late for a large body). From then on the provider may have
                // read it whole, even when Jetty still fails its request side (a reset that arrives before Jetty saw
                // its last write complete), so only an attempt that never began is surely unsent.
                .onRequestBegin(r -> begun.set(true))
                .send(result -> listener.onComplete(result.isFailed() ? result.getFailure() : null,
                        begun.get() || result.getRequestFailure() == null));
        return request::abort;
    }

    @Override
    public Task schedule(Runnable task, long delayMs) {
        var scheduled = client.getScheduler().schedule(task, delayMs, TimeUnit.MILLISECONDS);
        return scheduled::cancel;
    }

    @Override
    public void close() throws Exception {
        try {
            client.stop();
        } finally {
            timers.shutdownNow(); // given to Jetty, not Jetty's to stop
        }
    }
}
