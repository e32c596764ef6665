/**
 * Limits on what a project or token may spend (#5): budgets in USD over a period, reserved before a call and
 * settled after it, kept in the database so that they survive restarts and hold across instances.
 */
package dev.llmproxy.limits;
