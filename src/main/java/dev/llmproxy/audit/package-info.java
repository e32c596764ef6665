/**
 * The audit trail: every admin action and security event, each sealed with an HMAC-SHA-256 over its content and the
 * previous event's MAC, so that editing, deleting or reordering rows is detected by {@code verify}.
 */
package dev.llmproxy.audit;
