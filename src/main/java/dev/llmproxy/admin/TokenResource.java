package dev.llmproxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.token.TokenChanges;
import dev.llmproxy.token.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code /manage/tokens}: issue, list, read, change and revoke proxy tokens. Revocation is final. */
@Path("tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class TokenResource {
    /** The longest a token may live: proxy tokens are meant to be short-lived. */
    static final int MAX_DURATION_MINUTES = 366 * 24 * 60;
    private static final Set<String> PATCHABLE = Set.of("name", "max_requests", "expires_at", "budget_usd",
            "budget_period", "rpm_limit", "tpm_limit");

    private final Tokens tokens;
    private final Clock clock;

    public TokenResource(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @POST
    public Response issue(CreateTokenRequest body, @Context UriInfo uri, @Context HttpServletRequest request) {
        if (body == null) {
            throw new InvalidFieldException("body", "must be a JSON object with project_id and duration_minutes");
        }
        if (body.projectId() == null || body.projectId().isBlank()) {
            throw new InvalidFieldException("project_id", "is required");
        }
        var budget = body.budgetUsd() == null ? java.util.Optional.<dev.llmproxy.limits.Budget>empty()
                : java.util.Optional.of(dev.llmproxy.limits.Budget.fromUsd(body.budgetUsd(), body.budgetPeriod()));
        var issued = tokens.issue(Callers.actor(request), body.projectId(), expiry(body), body.maxRequests(), body.name(),
                budget, new dev.llmproxy.limits.RateLimit(body.rpmLimit(), body.tpmLimit()));
        return Response.created(uri.getAbsolutePathBuilder().path(issued.token().id()).build())
                .entity(TokenView.withSecret(issued.token(), issued.plainToken(), clock.instant())).build();
    }

    @GET
    public PageView<TokenView> list(@QueryParam("project_id") String projectId,
                                    @QueryParam("is_active") String isActive,
                                    @QueryParam("page") String page,
                                    @QueryParam("page_size") String pageSize) {
        Instant now = clock.instant();
        return PageView.of(tokens.list(Optional.ofNullable(projectId).filter(p -> !p.isBlank()),
                        parseBoolean("is_active", isActive), PageRequest.parse(page, pageSize))
                .map(t -> TokenView.of(t, now)));
    }

    @GET
    @Path("{id}")
    public TokenView get(@PathParam("id") String id) {
        return TokenView.of(tokens.get(id), clock.instant());
    }

    @PATCH
    @Path("{id}")
    public TokenView update(@PathParam("id") String id, JsonNode body, @Context HttpServletRequest request) {
        JsonFields fields = new JsonFields(body, PATCHABLE);
        Optional<Instant> expiresAt = fields.string("expires_at").map(v -> parseInstant("expires_at", v));
        var changes = new TokenChanges(fields.nullable("name"), fields.nullableLong("max_requests"), expiresAt,
                fields.budget(), fields.nullableLong("rpm_limit"), fields.nullableLong("tpm_limit"));
        return TokenView.of(tokens.update(Callers.actor(request), id, changes), clock.instant());
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id, @Context HttpServletRequest request) {
        tokens.revoke(Callers.actor(request), id);
        return Response.noContent().build();
    }

    private Instant expiry(CreateTokenRequest body) {
        if ((body.durationMinutes() == null) == (body.expiresAt() == null)) {
            throw new InvalidFieldException("duration_minutes", "or expires_at is required, and not both");
        }
        if (body.durationMinutes() != null) {
            int minutes = body.durationMinutes();
            if (minutes < 1 || minutes > MAX_DURATION_MINUTES) {
                throw new InvalidFieldException("duration_minutes", "must be from 1 to " + MAX_DURATION_MINUTES);
            }
            return clock.instant().plus(Duration.ofMinutes(minutes));
        }
        if (body.expiresAt().isAfter(clock.instant().plus(Duration.ofMinutes(MAX_DURATION_MINUTES)))) {
            throw new InvalidFieldException("expires_at", "must be at most 366 days ahead");
        }
        return body.expiresAt();
    }

    private static Optional<Boolean> parseBoolean(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw new InvalidFieldException(field, "must be true or false");
        };
    }

    private static Instant parseInstant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
