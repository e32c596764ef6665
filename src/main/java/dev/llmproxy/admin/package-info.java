/**
 * The admin API (Jersey, under {@code /manage}): the JAX-RS application, management-token authentication,
 * resources with their request and response records, and the single exception mapper that turns every error into
 * problem JSON (RFC 9457).
 */
package dev.llmproxy.admin;
