/**
 * What the proxy knows about each provider, in one class per provider ({@link ProviderDefinition}): its id and
 * default base URL, the routes it serves, how the upstream URL is built, where its key goes, the API family it speaks
 * (how usage is read, which prompt and error shapes apply) and the body rewrites it needs. {@code project.Provider}
 * lists the definitions; the proxy, the usage meter and the admin API ask them instead of naming providers.
 * Depends on {@code config} and {@code usage} only. How to add a provider: docs/architecture.md, "Adding a provider".
 */
package dev.llmproxy.provider;
