package dev.llmproxy.cache;

import java.util.OptionalInt;

/** A project's side of caching: whether and how long it caches, and its current generation. */
public record ProjectCachePolicy(String projectId, long generation, OptionalInt ttlSeconds) {
}
