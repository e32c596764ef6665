/** The proxy path: provider definitions, the proxy servlet, the upstream client and the stream relay. */
package dev.llmproxy.proxy;
