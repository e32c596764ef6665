package dev.llmproxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.project.Projects;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /manage/cache}: what the response cache of this instance holds, and purging it. A purge moves the
 * project's cache generation on in the database, so every instance stops serving the older answers within a second;
 * this instance also frees their memory at once.
 */
@Path("cache")
@Produces(MediaType.APPLICATION_JSON)
public final class CacheResource {
    private final Projects projects;
    private final ResponseCache cache;

    public CacheResource(Projects projects, ResponseCache cache) {
        this.projects = projects;
        this.cache = cache;
    }

    @GET
    public ResponseCache.Stats stats() {
        return cache.stats();
    }

    /** Body {@code {"project_id":"…"}} purges one project; an empty body or {@code {}} purges every project. */
    @POST
    @Path("purge")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Map<String, Object> purge(JsonNode body, @Context HttpServletRequest request) {
        JsonNode given = body == null || body.isMissingNode() ? JsonNodeFactory.instance.objectNode() : body;
        String projectId = new JsonFields(given, Set.of("project_id")).string("project_id").orElse(null);
        List<String> purged = projects.purgeCache(Callers.actor(request), projectId);
        long removed = projectId == null ? cache.purgeAll() : cache.purge(projectId);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("purged_projects", purged.size());
        result.put("project_id", projectId);
        result.put("entries_removed_here", removed);
        return result;
    }
}
