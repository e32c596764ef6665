/**
 * Usage: one record per proxied call (refused calls included), token counts from the provider's own usage (or a
 * tokenizer estimate, flagged), cost in micro-USD from a dated price table, written off the request path in batches
 * by one writer with daily rollups, and the reports over them.
 */
package dev.llmproxy.usage;
