package dev.llmproxy.project;

import java.util.Optional;

/** A partial update of a project: only the present fields change. */
public record ProjectChanges(Optional<String> name, Optional<String> apiKey, Optional<Optional<String>> baseUrl,
                             Optional<Boolean> active) {}
