package dev.llmproxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.project.ProjectChanges;
import dev.llmproxy.project.Projects;
import dev.llmproxy.project.Deployments;
import dev.llmproxy.project.Provider;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.token.Tokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /manage/projects}: create, read, list and change projects. There is no DELETE (405): nothing is destroyed. */
@Path("projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ProjectResource {
    private static final Set<String> PATCHABLE = Set.of("name", "api_key", "base_url", "is_active", "allowed_models",
            "allowed_origins", "budget_usd", "budget_period", "rpm_limit", "tpm_limit", "cache_ttl_seconds",
            "retry_unsafe", "deployments");
    private final Projects projects;
    private final Tokens tokens;
    private final CircuitBreakers breakers;

    public ProjectResource(Projects projects, Tokens tokens, CircuitBreakers breakers) {
        this.projects = projects;
        this.tokens = tokens;
        this.breakers = breakers;
    }

    private ProjectView view(dev.llmproxy.project.Project project) {
        return ProjectView.of(project, breakers);
    }

    @POST
    public Response create(CreateProjectRequest body, @Context UriInfo uri, @Context HttpServletRequest request) {
        if (body == null) {
            throw new InvalidFieldException("body", "must be a JSON object with name, provider and api_key");
        }
        if (body.provider() == null) {
            throw new InvalidFieldException("provider", "is required");
        }
        var project = projects.create(Callers.actor(request), body.name(), Provider.fromId("provider", body.provider()),
                body.baseUrl(), body.apiKey(), orEmpty(body.allowedModels()), orEmpty(body.allowedOrigins()),
                java.util.Optional.ofNullable(body.retryUnsafe()), body.deployments() == null ? Deployments.NONE
                        : Deployments.of("deployments", body.deployments()));
        return Response.created(uri.getAbsolutePathBuilder().path(project.id()).build())
                .entity(view(project)).build();
    }

    @GET
    public PageView<ProjectView> list(@QueryParam("page") String page,
                                      @QueryParam("page_size") String pageSize) {
        return PageView.of(projects.list(PageRequest.parse(page, pageSize)).map(this::view));
    }

    @GET
    @Path("{id}")
    public ProjectView get(@PathParam("id") String id) {
        return view(projects.get(id));
    }

    @PATCH
    @Path("{id}")
    public ProjectView update(@PathParam("id") String id, JsonNode body, @Context HttpServletRequest request) {
        JsonFields fields = new JsonFields(body, PATCHABLE);
        var changes = new ProjectChanges(fields.string("name"), fields.string("api_key"),
                fields.nullable("base_url"), fields.bool("is_active"), fields.stringList("allowed_models"),
                fields.stringList("allowed_origins"), fields.budget(), fields.nullableLong("rpm_limit"),
                fields.nullableLong("tpm_limit"), fields.nullableLong("cache_ttl_seconds"),
                fields.nullableBool("retry_unsafe"),
                fields.stringMap("deployments").map(named -> Deployments.of("deployments", named)));
        return view(projects.update(Callers.actor(request), id, changes));
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    /** Revokes every live token of the project in one transaction. */
    @POST
    @Path("{id}/tokens/revoke")
    public Map<String, Integer> revokeTokens(@PathParam("id") String id, @Context HttpServletRequest request) {
        return Map.of("revoked_count", tokens.revokeAllOfProject(Callers.actor(request), id));
    }
}
