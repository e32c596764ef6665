package dev.llmproxy.proxy;

import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the proxy. Towards the provider: not the caller's credentials (the proxy token must never
 * reach a provider), cookies, hop-by-hop headers (RFC 9110 section 7.6.1) or client-IP headers; the provider's key
 * is added instead. Back to the caller: not hop-by-hop headers or cookies.
 */
public final class UpstreamHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private static final Set<String> NOT_TO_PROVIDER = Set.of("host", "content-length", "expect", "accept-encoding",
            "authorization", "x-api-key", "api-key", "cookie", "cookie2", "forwarded", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server", "x-real-ip",
            "true-client-ip", "cf-connecting-ip", "x-client-ip", "x-cluster-client-ip", "via",
            "openai-organization", "openai-project");

    private static final Set<String> NOT_TO_CLIENT = Set.of("set-cookie", "set-cookie2", "content-encoding");

    private UpstreamHeaders() {
    }

    public static boolean forwardToProvider(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !NOT_TO_PROVIDER.contains(lower);
    }

    public static boolean forwardToClient(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !NOT_TO_CLIENT.contains(lower);
    }
}
