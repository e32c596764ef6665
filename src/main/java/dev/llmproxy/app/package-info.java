/**
 * The composition root: {@link dev.llmproxy.app.LlmProxyListener} reads the settings and builds one
 * {@link dev.llmproxy.app.LlmProxy} when the WAR starts, publishes its parts through {@link dev.llmproxy.Components},
 * and closes it when the WAR stops. Nothing else depends on this package.
 */
package dev.llmproxy.app;
