/**
 * Where a proxied request goes among its project's upstreams: the candidates serving its model in priority order,
 * bounded retries honouring {@code Retry-After}, fallback to the next upstream before the first byte, and a
 * circuit breaker per upstream that counts only the upstream's own failures.
 */
package dev.llmproxy.routing;
