package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.config.ProtectionSettings;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.config.RoutingSettings;
import dev.llmproxy.accesstoken.AccessTokens;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.TokenEstimator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/** What every exchange on the proxy path shares, built once by the application. */
public final class ProxyServices implements AutoCloseable {
    private final ProxySettings settings;
    private final Admission admission;
    private final OutboundRequests outbound;
    private final UpstreamTransport transport;
    private final Scheduling scheduling;
    private final FailureClassifier failures;
    private final CallLog callLog;
    private final OpenAiErrors errors;
    private final Work work;
    private final ProtectionSettings protection;
    private final InFlight inFlight;
    private final OpenExchanges exchanges = new OpenExchanges();

    ProxyServices(ProxySettings settings, ProtectionSettings protection, Admission admission,
                  UpstreamTransport transport, Scheduling scheduling, Work work, CallLog callLog, OpenAiErrors errors,
                  AccessTokens accessTokens) {
        this.work = work;
        this.protection = protection;
        this.inFlight = new InFlight(protection.maxBodyBytesInFlight(), protection.maxCallsPerToken());
        this.settings = settings;
        this.admission = admission;
        this.outbound = new OutboundRequests(settings, new ProviderCredentials(settings, accessTokens));
        this.transport = transport;
        this.scheduling = scheduling;
        this.failures = new FailureClassifier(settings.connectTimeoutMs(),
                Math.max(settings.responseTimeoutMs(), settings.idleTimeoutMs()) + OutboundRequests.BACKSTOP_MARGIN_MS);
        this.callLog = callLog;
        this.errors = errors;
    }

    /** The proxy path over the application's upstream client, limits, budgets, breakers and cache. */
    public static ProxyServices create(ProxySettings settings, ProtectionSettings protection, UpstreamClient client,
                                       CallLog callLog, ResponseCache cache, Supplier<PriceTable> prices,
                                       Budgets budgets, RateLimiter rateLimiter, CircuitBreakers breakers,
                                       RoutingSettings routing, AccessTokens accessTokens) {
        Admission admission = new Admission(cache, new TokenEstimator(), prices, budgets, rateLimiter, breakers,
                routing, settings);
        return new ProxyServices(settings, protection, admission, client, client,
                new WorkPool(protection.workThreads(), protection.workQueue()), callLog, new OpenAiErrors(),
                accessTokens);
    }

    /**
     * Ends the calls in flight before the application closes (see {@link OpenExchanges}): no new call is admitted,
     * answers that are not streams may finish within {@code drain}, open streams end with a last error event.
     */
    public void shutDown(Duration drain) throws InterruptedException {
        exchanges.shutDown(drain, OpenExchanges.FAREWELL);
    }

    OpenExchanges exchanges() {
        return exchanges;
    }

    /** Stops the work threads; after the calls in flight have drained. */
    @Override
    public void close() throws Exception {
        if (work instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    public ProxySettings settings() {
        return settings;
    }

    public CallLog callLog() {
        return callLog;
    }

    OpenAiErrors errors() {
        return errors;
    }

    Admission admission() {
        return admission;
    }

    OutboundRequests outbound() {
        return outbound;
    }

    UpstreamTransport transport() {
        return transport;
    }

    ProtectionSettings protection() {
        return protection;
    }

    InFlight inFlight() {
        return inFlight;
    }

    /** Body bytes in flight, as a gauge. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        inFlight.bindMetrics(registry);
    }

    Work work() {
        return work;
    }

    Scheduling scheduling() {
        return scheduling;
    }

    FailureClassifier failures() {
        return failures;
    }

    /**
     * Refuses a call with the proxy's own error before it reaches an exchange, and records it as refused. The
     * request body is not read, so the connection is closed after the answer (see {@link #closeUnreadBody}).
     */
    void refuse(CallRecord call, HttpServletRequest request, HttpServletResponse response, DomainException error)
            throws IOException {
        call.refused(error.kind().status(), error.code());
        closeUnreadBody(request, response);
        errors.write(request, response, error);
        callLog.finish(call);
    }

    /** Like {@link #refuse}, but the call is only counted in the metrics, not recorded. */
    void refuseUnrecorded(CallRecord call, HttpServletRequest request, HttpServletResponse response,
                          DomainException error) throws IOException {
        call.refused(error.kind().status(), error.code());
        closeUnreadBody(request, response);
        errors.write(request, response, error);
        callLog.count(call);
    }

    /**
     * An answer sent before the caller's body was read must end the connection: otherwise the rest of the body
     * would be taken for the next request on it, and a container that neither drains nor closes (Undertow, seen
     * with a 2 MiB body refused with 413) leaves the caller's next request on that connection unanswered.
     */
    static void closeUnreadBody(HttpServletRequest request, HttpServletResponse response) {
        if (RequestBodyReader.present(request) && !response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
    }
}
