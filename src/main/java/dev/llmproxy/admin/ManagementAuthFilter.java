package dev.llmproxy.admin;

import dev.llmproxy.DomainException;
import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.ClientAddress;
import dev.llmproxy.audit.SecurityEvents;
import dev.llmproxy.limits.AuthFailures;
import dev.llmproxy.limits.TooManyFailedAuthentications;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.OptionalLong;

/** Every admin API call but the OpenAPI document needs {@code Authorization: Bearer <management token>}; runs before resource matching. */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ManagementAuthFilter implements ContainerRequestFilter {
    /** The OpenAPI description is public: it holds no data, and tools load it without credentials. */
    static final String PUBLIC_DOCUMENT = "openapi.json";
    private final ManagementAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final SecurityEvents securityEvents;
    private final AuthFailures authFailures;
    @Context
    private HttpServletRequest servletRequest;

    public ManagementAuthFilter(ManagementAuthenticator authenticator, ClientAddress clientAddress,
                                SecurityEvents securityEvents, AuthFailures authFailures) {
        this.authFailures = authFailures;
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.securityEvents = securityEvents;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getMethod().equals("GET") && request.getUriInfo().getPath().equals(PUBLIC_DOCUMENT)) {
            return;
        }
        String ip = clientAddress.of(servletRequest.getRemoteAddr(), servletRequest.getHeader("X-Forwarded-For"));
        OptionalLong blocked = authFailures.blockedFor(ip);
        if (blocked.isPresent()) {
            throw new TooManyFailedAuthentications(blocked.getAsLong());
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            failed(ip, "missing");
            throw new Unauthorized("The admin API needs 'Authorization: Bearer <management token>'");
        }
        String token = header.substring(7).trim();
        if (!authenticator.accepts(token)) {
            failed(ip, "invalid");
            throw new Unauthorized("The management token is not valid");
        }
        request.setProperty(Actor.ATTRIBUTE, new Actor(authenticator.actorName(), ip));
    }

    private void failed(String ip, String reason) {
        authFailures.failed(ip);
        securityEvents.refused(AuditAction.MANAGEMENT_AUTH_FAILED, ip, reason);
    }

    /** Refusal of the management credentials. */
    static final class Unauthorized extends DomainException {
        Unauthorized(String message) {
            super(Kind.UNAUTHORIZED, "invalid_management_token", message);
        }
    }
}
