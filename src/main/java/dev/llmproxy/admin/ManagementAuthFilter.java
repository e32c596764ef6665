package dev.llmproxy.admin;

import dev.llmproxy.DomainException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;

/** Every admin API call needs {@code Authorization: Bearer <management token>}; runs before resource matching. */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ManagementAuthFilter implements ContainerRequestFilter {
    private final ManagementAuthenticator authenticator;

    public ManagementAuthFilter(ManagementAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
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
