package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.usage.Prices;
import dev.llmproxy.usage.TokenEstimator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** What every exchange shares, built once by the application. */
public record ProxyServices(UpstreamClient client, ProxySettings settings, OpenAiErrors errors, CallLog callLog,
                            TokenEstimator estimator, Budgets budgets, Prices prices, RateLimiter rateLimiter) {

    /** Refuses a call with the proxy's own error before it reaches an exchange, and records it as refused. */
    public void refuse(CallRecord call, HttpServletResponse response, DomainException error) throws IOException {
        call.refused(error.kind().status(), error.code());
        errors.write(response, error);
        callLog.finish(call);
    }
}
