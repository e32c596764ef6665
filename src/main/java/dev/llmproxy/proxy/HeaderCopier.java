package dev.llmproxy.proxy;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Which headers cross the proxy, in both directions. Towards the provider: not the caller's credentials (the proxy
 * token must never reach a provider), cookies, hop-by-hop headers (RFC 9110 section 7.6.1), client-IP headers or
 * the content type (the body carries its own); the provider's key is added by {@link ProviderCredentials}. Back to
 * the caller: not hop-by-hop headers, cookies or the content encoding (the proxy asks for identity). The body's own
 * encoding is not passed on either way: a caller's compressed body is decoded first (BodyEncoding).
 */
final class HeaderCopier {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private static final Set<String> NOT_TO_PROVIDER = Set.of("host", "content-length", "content-type",
            "content-encoding", "expect",
            "accept-encoding", "authorization", "x-api-key", "api-key", "cookie", "cookie2", "forwarded",
            "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server",
            "x-real-ip", "true-client-ip", "cf-connecting-ip", "x-client-ip", "x-cluster-client-ip", "via",
            "openai-organization", "openai-project");

    private static final Set<String> NOT_TO_CALLER = Set.of("set-cookie", "set-cookie2", "content-encoding");

    private HeaderCopier() {
    }

    static boolean forwardToProvider(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !NOT_TO_PROVIDER.contains(lower);
    }

    static boolean forwardToCaller(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(lower) && !NOT_TO_CALLER.contains(lower);
    }

    /** The caller's headers that go to the provider, in their order. */
    static void toProvider(HttpFields caller, HttpFields.Mutable upstream) {
        for (HttpField field : caller) {
            if (forwardToProvider(field.getName())) {
                upstream.add(field.getName(), field.getValue());
            }
        }
    }

    /**
     * The provider's headers that go to the caller. {@code rewritten}: the body may change on the way (server-sent
     * events, see UsageMeter), so its length is not passed on.
     */
    static void toCaller(HttpFields upstream, boolean rewritten, Caller caller) {
        for (HttpField field : upstream) {
            String name = field.getName();
            if (forwardToCaller(name) && !(rewritten && name.equalsIgnoreCase("Content-Length"))) {
                caller.addHeader(name, field.getValue());
            }
        }
    }
}
