package dev.llmproxy.project;

import java.util.List;
import java.util.Optional;

/** A partial update of an upstream: only the present fields change. */
public record UpstreamChanges(Optional<String> name, Optional<Optional<String>> baseUrl, Optional<String> apiKey,
                              Optional<List<String>> models, Optional<Integer> priority) {
}
