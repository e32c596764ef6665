package dev.llmproxy.provider;

import java.util.List;
import java.util.Map;

/**
 * One attempt's request to a provider as it will go, for a definition that signs it ({@link
 * ProviderDefinition#sign}): its method, URL, headers and the exact body bytes. The signature goes into its headers.
 */
public interface SignableRequest extends UpstreamHeaders {
    String method();

    /** The absolute URL, its path and query encoded as they will be sent. */
    String url();

    /** The headers as they will be sent (the credentials already in), in order, by name. */
    Map<String, List<String>> headers();

    /** The content type the body goes with, or null. */
    String contentType();

    /** The bytes sent (empty for none). */
    byte[] body();
}
