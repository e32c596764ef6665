package dev.llmproxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.project.UpstreamChanges;
import dev.llmproxy.project.Projects;
import dev.llmproxy.project.Provider;
import dev.llmproxy.routing.CircuitBreakers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /manage/projects/{id}/upstreams}: where a project's requests go, in which order, with which keys. */
@Path("projects/{projectId}/upstreams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class UpstreamResource {
    private static final Set<String> FIELDS = Set.of("name", "provider", "base_url", "api_key", "models", "priority");
    private static final Set<String> PATCHABLE = Set.of("name", "base_url", "api_key", "models", "priority");
    private final Projects projects;
    private final CircuitBreakers breakers;

    public UpstreamResource(Projects projects, CircuitBreakers breakers) {
        this.projects = projects;
        this.breakers = breakers;
    }

    @GET
    public Map<String, List<UpstreamView>> list(@PathParam("projectId") String projectId) {
        return Map.of("items", projects.get(projectId).upstreams().stream()
                .map(u -> UpstreamView.of(u, breakers)).toList());
    }

    @GET
    @Path("{upstreamId}")
    public UpstreamView get(@PathParam("projectId") String projectId, @PathParam("upstreamId") String upstreamId) {
        return UpstreamView.of(projects.get(projectId).upstream(upstreamId), breakers);
    }

    @POST
    public Response create(@PathParam("projectId") String projectId, JsonNode body, @Context UriInfo uri,
                           @Context HttpServletRequest request) {
        JsonFields fields = new JsonFields(body, FIELDS);
        String provider = fields.string("provider")
                .orElseThrow(() -> new InvalidFieldException("provider", "is required"));
        var added = projects.addUpstream(Callers.actor(request), projectId,
                fields.string("name").orElseThrow(() -> new InvalidFieldException("name", "is required")),
                Provider.fromId("provider", provider), fields.nullable("base_url").flatMap(v -> v).orElse(null),
                fields.string("api_key").orElse(null), fields.stringList("models").orElse(List.of()),
                priority(fields).orElse(0));
        return Response.created(uri.getAbsolutePathBuilder().path(added.id()).build())
                .entity(UpstreamView.of(added, breakers)).build();
    }

    @PATCH
    @Path("{upstreamId}")
    public UpstreamView update(@PathParam("projectId") String projectId, @PathParam("upstreamId") String upstreamId,
                               JsonNode body, @Context HttpServletRequest request) {
        JsonFields fields = new JsonFields(body, PATCHABLE);
        var changes = new UpstreamChanges(fields.string("name"), fields.nullable("base_url"), fields.string("api_key"),
                fields.stringList("models"), priority(fields));
        return UpstreamView.of(projects.changeUpstream(Callers.actor(request), projectId, upstreamId, changes),
                breakers);
    }

    @DELETE
    @Path("{upstreamId}")
    public Response delete(@PathParam("projectId") String projectId, @PathParam("upstreamId") String upstreamId,
                           @Context HttpServletRequest request) {
        projects.removeUpstream(Callers.actor(request), projectId, upstreamId);
        return Response.noContent().build();
    }

    private static java.util.Optional<Integer> priority(JsonFields fields) {
        return fields.nullableLong("priority").map(p -> {
            long value = p.orElseThrow(() -> new InvalidFieldException("priority", "must be a whole number"));
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new InvalidFieldException("priority", "must be between 0 and 1000, got " + value);
            }
            return (int) value;
        });
    }
}
