/**
 * The response cache: answers to deterministic, non-streamed calls kept in memory per instance, opted into by the
 * project ({@code cache_ttl_seconds}) and by the request ({@code Cache-Control}), keyed by project, cache
 * generation, method, path, body and the API-version headers, bounded in bytes, never shared across projects.
 */
package dev.llmproxy.cache;
