/** Proxy tokens: the {@link dev.llmproxy.token.Token} entity and its rules, issuing, hashing and checking. */
package dev.llmproxy.token;
