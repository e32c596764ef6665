package dev.llmproxy.admin;

import dev.llmproxy.project.Project;
import java.time.Instant;

/** A project as the admin API shows it: the upstream key appears only as a hint. */
public record ProjectView(String id, String name, String provider, String baseUrl, String apiKeyHint,
                          boolean isActive, java.util.List<String> allowedModels, java.util.List<String> allowedOrigins,
                          java.math.BigDecimal budgetUsd, String budgetPeriod, Integer rpmLimit, Integer tpmLimit,
                          Instant createdAt, Instant updatedAt,
                          Instant deactivatedAt) {

    static ProjectView of(Project p) {
        return new ProjectView(p.id(), p.name(), p.provider().id(), p.effectiveBaseUrl(), p.apiKeyHint(),
                p.isActive(), p.modelAllowlist().patterns(), p.allowedOrigins(),
                p.budget().map(b -> b.usd()).orElse(null), p.budget().map(b -> b.period().id()).orElse(null),
                p.rateLimit().requestsPerMinute(), p.rateLimit().tokensPerMinute(), p.createdAt(), p.updatedAt(), p.deactivatedAt().orElse(null));
    }
}
