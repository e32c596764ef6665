package dev.llmproxy.proxy;

import org.eclipse.jetty.http.HttpFields;

/**
 * One attempt's request to a provider, as built by {@link OutboundRequests}.
 *
 * @param body          the bytes to send, or null for none (a GET without a body)
 * @param idleTimeoutMs the client's own idle timeout: a backstop behind the {@link PhaseWatchdog}
 */
record OutboundRequest(String url, String method, HttpFields headers, String contentType, byte[] body,
                       long idleTimeoutMs) {
}
