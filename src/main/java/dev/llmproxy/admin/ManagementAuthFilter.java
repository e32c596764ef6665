package dev.llmproxy.admin;

import dev.llmproxy.DomainException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;

/** Every admin API call but the OpenAPI document needs {@code Authorization: Bearer <management token>}; runs before resource matching. */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ManagementAuthFilter implements ContainerRequestFilter {
    /** The OpenAPI description is public: it holds no data, and tools load it without credentials. */
    static final String PUBLIC_DOCUMENT = "openapi.json";
    private final ManagementAuthenticator authenticator;

    public ManagementAuthFilter(ManagementAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getMethod().equals("GET") && request.getUriInfo().getPath().equals(PUBLIC_DOCUMENT)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("The admin API needs 'Authorization: Bearer <management token>'");
        }
        if (!authenticator.accepts(header.substring(7).trim())) {
            throw new Unauthorized("The management token is not valid");
        }
    }

    /** Refusal of the management credentials. */
    static final class Unauthorized extends DomainException {
        Unauthorized(String message) {
            super(Kind.UNAUTHORIZED, "invalid_management_token", message);
        }
    }
}
