package dev.llmproxy.proxy;

import dev.llmproxy.Components;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.ClientAddress;
import dev.llmproxy.audit.SecurityEvents;
import dev.llmproxy.token.TokenGate;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.token.TokenRefusedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;

/**
 * In front of the proxy servlet: takes the proxy token from {@code Authorization: Bearer} (OpenAI SDKs),
 * {@code x-api-key} (Anthropic SDK) or {@code api-key} (Azure style), admits the request or refuses it with an
 * OpenAI-style error, and hands the admitted grant to the servlet.
 */
public final class TokenFilter extends HttpFilter {
    private transient TokenGate gate;
    private transient ProxyServices services;
    private transient Clock clock;
    private transient SecurityEvents securityEvents;
    private transient CorsPolicy cors;
    private transient ClientAddress clientAddress;

    @Override
    public void init() throws ServletException {
        var context = getServletContext();
        securityEvents = Components.of(context, SecurityEvents.class);
        cors = Components.of(context, CorsPolicy.class);
        clientAddress = Components.of(context, ClientAddress.class);
        gate = Components.of(context, TokenGate.class);
        services = Components.of(context, ProxyServices.class);
        clock = Components.of(context, Clock.class);
    }

    /** Every call gets a request id (also sent back as a header) and a record, refused calls included. */
    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        if (origin != null && req.getMethod().equals("OPTIONS") && req.getHeader("Access-Control-Request-Method") != null) {
            preflight(origin, req, resp);
            return;
        }
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        CallRecord call = new CallRecord(clock.instant(), req.getMethod(), path);
        resp.setHeader(CallRecord.HEADER, call.requestId());
        TokenGrant grant;
        try {
            grant = gate.admit(presentedToken(req));
        } catch (TokenRefusedException e) {
            e.grant().ifPresent(call::grant);
            if (e.grant().isEmpty()) {
                // unknown or missing tokens: counted per client and audited as one event per window
                securityEvents.refused(AuditAction.PROXY_TOKEN_REJECTED,
                        clientAddress.of(req.getRemoteAddr(), req.getHeader("X-Forwarded-For")), e.code());
            }
            services.refuse(call, req, resp, e);
            return;
        }
        call.grant(grant);
        if (origin != null && !grant.allowedOrigins().isEmpty()) {
            if (!grant.allowedOrigins().contains(origin)) {
                // a browser on an origin the project does not allow: refused before anything goes upstream
                services.refuse(call, req, resp, ProxyRefusal.originNotAllowed(origin));
                return;
            }
            cors.allow(resp, origin);
        }
        req.setAttribute(TokenGrant.REQUEST_ATTRIBUTE, grant);
        req.setAttribute(CallRecord.ATTRIBUTE, call);
        chain.doFilter(req, resp);
    }

    private void preflight(String origin, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (cors.allowedByAnyProject(origin)) {
            cors.preflight(resp, origin, req.getHeader("Access-Control-Request-Method"));
        } else {
            services.errors().write(resp, ProxyRefusal.originNotAllowed(origin));
        }
    }

    static String presentedToken(HttpServletRequest req) {
        String authorization = req.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String anthropic = req.getHeader("x-api-key");
        if (anthropic != null) {
            return anthropic.trim();
        }
        String azure = req.getHeader("api-key");
        return azure == null ? null : azure.trim();
    }
}
