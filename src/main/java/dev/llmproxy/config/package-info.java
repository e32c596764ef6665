/**
 * Settings: read once at start-up from JNDI env entries, system properties and environment variables
 * (in that order of precedence), validated, and held in the immutable {@link dev.llmproxy.config.Settings}
 * record. A bad value fails start-up with the key's name and where the value came from.
 */
package dev.llmproxy.config;
