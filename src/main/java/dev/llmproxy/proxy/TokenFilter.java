package dev.llmproxy.proxy;

import dev.llmproxy.Components;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.ClientAddress;
import dev.llmproxy.audit.SecurityEvents;
import dev.llmproxy.limits.AuthFailures;
import dev.llmproxy.limits.TooManyFailedAuthentications;
import dev.llmproxy.provider.Gemini;
import dev.llmproxy.provider.VertexAi;
import dev.llmproxy.token.TokenCheckUnavailableException;
import dev.llmproxy.token.TokenGate;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.token.TokenRefusedException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The proxy path's front door: takes the proxy token from {@code Authorization: Bearer} (OpenAI SDKs), {@code
 * x-api-key} (Anthropic SDK), {@code api-key} (Azure style), {@code x-goog-api-key} ({@code @google/genai}) or, on
 * Gemini's native paths and Vertex AI's Google paths only, the {@code key} query parameter (Google's other way, {@link QueryKey}), admits the
 * request or refuses it with an error in the shape of its API, and hands the admitted grant to the servlet. The check
 * runs on the container's thread when the token cache can answer it; when the database is needed, it runs on a work
 * thread and the request is dispatched to the servlet from there, so no container thread waits on the database, and the
 * caller waits for it at most {@code database-deadline-ms} before it is refused with 503. An address that failed to
 * authenticate too often is refused before anything is looked up.
 */
public final class TokenFilter extends HttpFilter {
    private static final Logger LOG = Logger.getLogger(TokenFilter.class.getName());
    private transient TokenGate gate;
    private transient ProxyServices services;
    private transient Clock clock;
    private transient SecurityEvents securityEvents;
    private transient CorsPolicy cors;
    private transient ClientAddress clientAddress;
    private transient AuthFailures authFailures;

    @Override
    public void init() throws ServletException {
        var context = getServletContext();
        securityEvents = Components.of(context, SecurityEvents.class);
        cors = Components.of(context, CorsPolicy.class);
        clientAddress = Components.of(context, ClientAddress.class);
        gate = Components.of(context, TokenGate.class);
        services = Components.of(context, ProxyServices.class);
        clock = Components.of(context, Clock.class);
        authFailures = Components.of(context, AuthFailures.class);
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
        if (!services.exchanges().admitting()) { // being undeployed: a clear 503, recorded, rather than a cut
            services.refuse(call, req, resp, ProxyRefusal.shuttingDown());
            return;
        }
        String address = clientAddress.of(req.getRemoteAddr(), req.getHeader("X-Forwarded-For"));
        OptionalLong blocked = authFailures.blockedFor(address);
        if (blocked.isPresent()) {
            // counted in /metrics and audited with the address's failures, but not recorded one by one: an address
            // that is cut off must cost no database work per request
            services.refuseUnrecorded(call, req, resp, new TooManyFailedAuthentications(blocked.getAsLong()));
            return;
        }
        String presented = presentedToken(req, path);
        if (presented == null && awsSignature(req.getHeader("Authorization"))) {
            services.refuse(call, req, resp, ProxyRefusal.awsSignature());
            return;
        }
        Optional<TokenGrant> cached;
        try {
            cached = gate.admitFromCache(presented);
        } catch (TokenRefusedException e) {
            refused(call, req, resp, address, e);
            return;
        }
        if (cached.isPresent()) {
            if (admitted(cached.get(), call, req, resp)) {
                chain.doFilter(req, resp);
            }
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(0); // the work thread answers or dispatches; the exchange then times the call
        // Whoever comes first answers: the check, or its deadline (a database that neither answers nor fails).
        AtomicBoolean decided = new AtomicBoolean();
        long limit = services.protection().databaseDeadlineMs();
        Scheduling.Task deadline = services.scheduling().schedule(() -> {
            if (decided.compareAndSet(false, true)) {
                gate.checkOverdue(); // a database that does not answer at all is as gone as one that fails
                answerUnchecked(call, async, ProxyRefusal.databaseDeadline(limit));
            }
        }, limit);
        if (!services.work().offer(() -> checkInTheBackground(presented, call, address, async, decided, deadline))) {
            deadline.cancel();
            if (decided.compareAndSet(false, true)) {
                answerUnchecked(call, async, ProxyRefusal.busy());
            }
        }
    }

    /** Refuses a call whose token could not be checked in time; nothing is known of its token. */
    private void answerUnchecked(CallRecord call, AsyncContext async, ProxyRefusal refusal) {
        try {
            services.refuse(call, (HttpServletRequest) async.getRequest(), (HttpServletResponse) async.getResponse(),
                    refusal);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not answer request " + call.requestId() + "; the caller went away", e);
        } finally {
            async.complete();
        }
    }

    /** On a work thread: the check that needs the database; then on to the servlet, or the refusal. */
    private void checkInTheBackground(String presented, CallRecord call, String address, AsyncContext async,
                                      AtomicBoolean decided, Scheduling.Task deadline) {
        if (decided.get()) {
            return; // the deadline answered while this waited for a thread
        }
        TokenGrant grant = null;
        RuntimeException failure = null;
        try {
            grant = gate.admit(presented);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            deadline.cancel();
        }
        if (!decided.compareAndSet(false, true)) {
            return; // the deadline answered meanwhile: this check came too late
        }
        HttpServletRequest req = (HttpServletRequest) async.getRequest();
        HttpServletResponse resp = (HttpServletResponse) async.getResponse();
        try {
            if (failure instanceof TokenRefusedException e) {
                refused(call, req, resp, address, e);
                async.complete();
            } else if (failure instanceof TokenCheckUnavailableException e) {
                e.grant().ifPresent(call::grant);
                services.refuse(call, req, resp, e); // 503 database_unavailable with Retry-After
                async.complete();
            } else if (failure != null) {
                LOG.log(Level.WARNING, "The token check for request " + call.requestId() + " failed", failure);
                services.refuse(call, req, resp, ProxyRefusal.tokenCheckUnavailable());
                async.complete();
            } else if (!services.exchanges().admitting()) {
                // undeployed while the check ran: a dispatch now would reach a stopped application, whose container
                // answers without this call's record (seen on WildFly, #14); refused here, and recorded
                services.refuse(call, req, resp, ProxyRefusal.shuttingDown());
                async.complete();
            } else if (admitted(grant, call, req, resp)) {
                ContainerCalls.dispatch(async); // to the proxy servlet, which finds the grant in the request
            } else {
                async.complete();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Could not answer request " + call.requestId() + "; the caller went away", e);
            call.refused(499, "client_disconnected");
            services.callLog().finish(call);
            async.complete();
        }
    }

    /** Checks the browser origin and hands the grant on; false when refused (and answered). */
    private boolean admitted(TokenGrant grant, CallRecord call, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        call.grant(grant);
        String origin = req.getHeader("Origin");
        if (origin != null && !grant.allowedOrigins().isEmpty()) {
            if (!grant.allowedOrigins().contains(origin)) {
                // a browser on an origin the project does not allow: refused before anything goes upstream
                services.refuse(call, req, resp, ProxyRefusal.originNotAllowed(origin));
                return false;
            }
            cors.allow(resp, origin);
        }
        req.setAttribute(TokenGrant.REQUEST_ATTRIBUTE, grant);
        req.setAttribute(CallRecord.ATTRIBUTE, call);
        return true;
    }

    private void refused(CallRecord call, HttpServletRequest req, HttpServletResponse resp, String address,
                         TokenRefusedException e) throws IOException {
        e.grant().ifPresent(call::grant);
        if (e.kind().status() == 401) {
            authFailures.failed(address);
        }
        if (e.grant().isEmpty()) {
            // unknown or missing tokens: counted per client and audited as one event per window
            securityEvents.refused(AuditAction.PROXY_TOKEN_REJECTED, address, e.code());
        }
        services.refuse(call, req, resp, e);
    }

    private void preflight(String origin, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (cors.allowedByAnyProject(origin)) {
            cors.preflight(resp, origin, req.getHeader("Access-Control-Request-Method"));
        } else {
            services.errors().write(req, resp, ProxyRefusal.originNotAllowed(origin));
        }
    }

    /**
     * An AWS SDK's own SigV4 signature ({@code AWS4-HMAC-SHA256 Credential=…}): it proves a secret the proxy does not
     * have and carries no proxy token, so it is refused with what to do instead.
     */
    static boolean awsSignature(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "AWS4-", 0, 5);
    }

    /** The token the caller presents; the query is read as it came (getParameter would read a form body). */
    static String presentedToken(HttpServletRequest req, String path) {
        String authorization = req.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        for (String header : new String[] {"x-api-key", "api-key", "x-goog-api-key"}) {
            String value = req.getHeader(header);
            if (value != null) {
                return value.trim();
            }
        }
        return Gemini.nativePath(path) || VertexAi.googlePath(path) ? QueryKey.find(req.getQueryString()) : null;
    }
}
