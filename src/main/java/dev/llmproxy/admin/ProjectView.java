package dev.llmproxy.admin;

import dev.llmproxy.project.Project;
import dev.llmproxy.routing.CircuitBreakers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A project as the admin API shows it: upstream keys appear only as hints. {@code base_url} and
 * {@code api_key_hint} are those of the primary upstream (the first tried), as before projects had several.
 */
public record ProjectView(String id, String name, String provider, String baseUrl, String apiKeyHint,
                          boolean isActive, List<String> allowedModels, List<String> allowedOrigins,
                          BigDecimal budgetUsd, String budgetPeriod, Integer rpmLimit, Integer tpmLimit,
                          Integer cacheTtlSeconds, Boolean retryUnsafe, Map<String, String> deployments,
                          List<UpstreamView> upstreams, Instant createdAt, Instant updatedAt, Instant deactivatedAt) {

    static ProjectView of(Project p, CircuitBreakers breakers) {
        var primary = p.primaryUpstream();
        return new ProjectView(p.id(), p.name(), p.provider().id(), primary.effectiveBaseUrl(), primary.apiKeyHint(),
                p.isActive(), p.modelAllowlist().patterns(), p.allowedOrigins(),
                p.budget().map(b -> b.usd()).orElse(null), p.budget().map(b -> b.period().id()).orElse(null),
                p.rateLimit().requestsPerMinute(), p.rateLimit().tokensPerMinute(), p.cacheTtlSeconds().orElse(null),
                p.retryUnsafe().orElse(null),
                p.provider().definition().namesDeployments() ? p.deployments().asMap() : null,
                p.upstreams().stream().map(u -> UpstreamView.of(u, breakers)).toList(), p.createdAt(),
                p.updatedAt(), p.deactivatedAt().orElse(null));
    }
}
