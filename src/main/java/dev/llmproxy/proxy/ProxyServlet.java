package dev.llmproxy.proxy;

import dev.llmproxy.Components;
import dev.llmproxy.DomainException;
import dev.llmproxy.token.TokenGrant;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code /v1/*}: forwards an admitted request (the token filter ran first) to the project's provider. The
 * container thread only checks the route and the declared size, then hands the exchange to asynchronous I/O.
 */
public final class ProxyServlet extends HttpServlet {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ProxyServlet.class.getName());
    /** Path segments the proxy forwards: what model ids and API paths use; nothing that needs re-encoding. */
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9._:~@+\\-]+");
    /** RFC 3986's query: unreserved, sub-delims, ':', '@', '/', '?' and percent-encoded octets. */
    private static final Pattern VALID_QUERY = Pattern.compile("([A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*");

    private transient ProxyServices services;
    private transient RouteTable routes;

    @Override
    public void init() throws ServletException {
        services = Components.of(getServletContext(), ProxyServices.class);
        routes = Components.of(getServletContext(), RouteTable.class);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        TokenGrant grant = (TokenGrant) req.getAttribute(TokenGrant.REQUEST_ATTRIBUTE);
        CallRecord call = (CallRecord) req.getAttribute(CallRecord.ATTRIBUTE);
        if (grant == null || call == null) {
            LOG.severe("ProxyServlet reached without the token filter; check web.xml");
            services.errors().write(req, resp, ProxyRefusal.internal("(none)"));
            return;
        }
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        try {
            checkPath(grant, path);
            String query = req.getQueryString();
            if (query != null && !VALID_QUERY.matcher(query).matches()) {
                throw ProxyRefusal.invalidQuery(); // it goes upstream as it is: it must be a URI's query
            }
            call.api(routes.check(grant.provider(), req.getMethod(), path));
            long declared = req.getContentLengthLong();
            long limit = services.settings().maxRequestBodyBytes();
            if (declared > limit) {
                throw ProxyRefusal.tooLarge(limit);
            }
            if (!services.inFlight().startCall(grant.tokenId())) {
                throw ProxyRefusal.tooManyCalls(services.protection().maxCallsPerToken());
            }
            AsyncContext async;
            try {
                async = req.startAsync(); // from here the exchange ends the call, whatever happens
            } catch (RuntimeException e) {
                services.inFlight().endCall(grant.tokenId());
                throw e;
            }
            async.setTimeout(0); // no total limit: the exchange's watchdog applies the configured timeouts
            ServletCaller caller = new ServletCaller(async, services.errors());
            ProxyExchange exchange;
            try {
                exchange = new ProxyExchange(caller, CallerRequest.of(req, path), grant, call, services);
            } catch (RuntimeException e) { // nothing owns the call yet: give back its slot, answer, complete
                services.inFlight().endCall(grant.tokenId());
                LOG.log(java.util.logging.Level.SEVERE, "Could not start the exchange of " + call.requestId(), e);
                services.errors().write(req, resp, ProxyRefusal.internal(call.requestId()));
                async.complete();
                return;
            }
            caller.listen(exchange::callerGone, exchange::containerEnds, exchange::completed);
            if (RequestBodyReader.present(req)) {
                var in = req.getInputStream();
                RequestBodyReader reader = new RequestBodyReader(in, declared, limit, services.inFlight(), exchange);
                exchange.awaitBody(reader);
                in.setReadListener(reader);
            } else {
                exchange.bodyRead(new byte[0]);
            }
        } catch (DomainException e) {
            services.refuse(call, req, resp, e);
        }
    }

    private static void checkPath(TokenGrant grant, String path) {
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (!SAFE_SEGMENT.matcher(segment).matches() || segment.equals("..") || segment.equals(".")) {
                throw ProxyRefusal.unknownPath(grant.provider().id(), path);
            }
        }
    }

}
