package dev.llmproxy.admin;

import dev.llmproxy.project.Upstream;
import dev.llmproxy.routing.CircuitBreakers;
import java.time.Instant;
import java.util.List;

/**
 * An upstream as the admin API shows it: the key only as a hint, and its circuit breaker as this instance sees it
 * (each instance keeps its own).
 */
public record UpstreamView(String id, String name, String provider, String baseUrl, String apiKeyHint,
                           List<String> models, int priority, CircuitBreakers.View circuit, Instant createdAt,
                           Instant updatedAt) {

    static UpstreamView of(Upstream u, CircuitBreakers breakers) {
        return new UpstreamView(u.id(), u.name(), u.provider().id(), u.effectiveBaseUrl(), u.apiKeyHint(),
                u.models().patterns(), u.priority(), breakers.view(u.id(), u.version()), u.createdAt(),
                u.updatedAt());
    }
}
