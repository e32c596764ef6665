/**
 * Operational metrics in Prometheus text format ({@code /metrics}) through Micrometer: calls by provider, model and
 * status with latency histograms, upstream failures and retries, the token-check and response caches, the record
 * queue, the connection pool where the application can see it, and the JVM.
 */
package dev.llmproxy.metrics;
