package dev.llmproxy.project;

import dev.llmproxy.limits.Budget;
import java.util.List;
import java.util.Optional;

/** A partial update of a project: only the present fields change. */
public record ProjectChanges(Optional<String> name, Optional<String> apiKey, Optional<Optional<String>> baseUrl,
                             Optional<Boolean> active, Optional<List<String>> allowedModels,
                             Optional<List<String>> allowedOrigins, Optional<Optional<Budget>> budget,
                             Optional<Optional<Long>> rpmLimit, Optional<Optional<Long>> tpmLimit,
                             Optional<Optional<Long>> cacheTtlSeconds, Optional<Optional<Boolean>> retryUnsafe,
                             Optional<Deployments> deployments) {

    /** Only the basic fields; no allowlist change. */
    public ProjectChanges(Optional<String> name, Optional<String> apiKey, Optional<Optional<String>> baseUrl,
                          Optional<Boolean> active) {
        this(name, apiKey, baseUrl, active, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
