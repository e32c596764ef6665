package dev.llmproxy.token;

import dev.llmproxy.cache.ProjectCachePolicy;
import dev.llmproxy.project.Provider;
import dev.llmproxy.routing.UpstreamTarget;
import dev.llmproxy.project.Deployments;
import dev.llmproxy.project.ModelAllowlist;
import java.time.Instant;
import dev.llmproxy.limits.Budget;
import dev.llmproxy.limits.RateLimit;
import java.util.List;
import java.util.Optional;

/**
 * What the proxy needs to know about a token and its project, cached briefly so that most requests cost no database
 * round trip. Holds the decrypted provider key: never log it ({@link #toString()} leaves it out). {@code retryUnsafe}
 * is the project's override of {@code upstream-retry-unsafe}, if it has one.
 */
public record TokenGrant(String tokenId, String tokenHint, String projectId, Instant expiresAt, boolean revoked,
                         boolean limited, boolean projectActive, Provider provider, List<UpstreamTarget> upstreams,
                         ModelAllowlist models, List<String> allowedOrigins, Optional<Budget> tokenBudget,
                         Optional<Budget> projectBudget, RateLimit tokenRateLimit, RateLimit projectRateLimit,
                         ProjectCachePolicy cache, Optional<Boolean> retryUnsafe, Deployments deployments) {

    /** The request attribute under which the token filter hands the admitted grant to the proxy servlet. */
    public static final String REQUEST_ATTRIBUTE = TokenGrant.class.getName();

    /** Whether the project names this model exactly (not by a glob): in its allowlist or an upstream's patterns. */
    public boolean namesModel(String model) {
        return models.patterns().contains(model) || upstreams.stream().anyMatch(u -> u.models().patterns()
                .contains(model));
    }

    /** Why the token may not make a request at {@code now}; empty when it may (its quota is checked apart). */
    public Optional<TokenRefusedException.Reason> refusalAt(Instant now) {
        if (revoked) {
            return Optional.of(TokenRefusedException.Reason.REVOKED);
        }
        if (Token.expired(expiresAt, now)) {
            return Optional.of(TokenRefusedException.Reason.EXPIRED);
        }
        if (!projectActive) {
            return Optional.of(TokenRefusedException.Reason.PROJECT_INACTIVE);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "TokenGrant[token=" + tokenHint + ", project=" + projectId + ", provider=" + provider.id() + "]";
    }
}
