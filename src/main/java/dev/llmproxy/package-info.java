/**
 * LLM Proxy. Capabilities live in sub-packages (see docs/architecture.md); this package holds only what every one of
 * them may use: the domain error types and {@link dev.llmproxy.Components}, through which container-made entry points
 * find the parts that {@code dev.llmproxy.app} assembled. It depends on no sub-package.
 */
package dev.llmproxy;
