package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.config.RoutingSettings;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.usage.Prices;
import dev.llmproxy.usage.TokenEstimator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** What every exchange shares, built once by the application. */
public record ProxyServices(UpstreamClient client, ProxySettings settings, OpenAiErrors errors, CallLog callLog,
                            TokenEstimator estimator, Budgets budgets, Prices prices, RateLimiter rateLimiter,
                            RoutingSettings routing, CircuitBreakers breakers,
                            ResponseCache cache) {

    /**
     * Refuses a call with the proxy's own error before it reaches an exchange, and records it as refused. The
     * request body is not read, so the connection is closed after the answer (see {@link #closeUnreadBody}).
     */
    public void refuse(CallRecord call, HttpServletRequest request, HttpServletResponse response,
                       DomainException error) throws IOException {
        call.refused(error.kind().status(), error.code());
        closeUnreadBody(request, response);
        errors.write(response, error);
        callLog.finish(call);
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
