/**
 * LLM Proxy: the application object and its life cycle. {@link dev.llmproxy.LlmProxyListener} builds one
 * {@link dev.llmproxy.LlmProxy} when the WAR starts and closes it when the WAR stops; servlets, filters and the
 * admin API take their collaborators from it once, at initialisation. Capabilities live in sub-packages.
 */
package dev.llmproxy;
