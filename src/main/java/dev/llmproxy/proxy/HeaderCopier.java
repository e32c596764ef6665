package dev.llmproxy.proxy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Which headers cross the proxy, in both directions. Towards the provider: not the caller's credentials (the proxy
 * token must never reach a provider), cookies, hop-by-hop headers (RFC 9110 section 7.6.1), client-IP headers, the
 * choice of who pays or at which tier, or the content type (the body carries its own); the provider's key is added by {@link ProviderCredentials}. Back to
 * the caller: not hop-by-hop headers, cookies or the content encoding (the proxy asks for identity). The body's own
 * encoding is not passed on either way: a caller's compressed body is decoded first (BodyEncoding).
 */
final class HeaderCopier {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private static final Set<String> NOT_TO_PROVIDER = Set.of("host", "content-length", "content-type",
            "content-encoding", "expect",
            "accept-encoding", "authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie", "cookie2",
            "forwarded",
            "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server",
            "x-real-ip", "true-client-ip", "cf-connecting-ip", "x-client-ip", "x-cluster-client-ip", "via",
            // which of the key owner's organisations, projects or tiers pays: the project's key decides, not the
            // caller (Google's quota and billing project, Bedrock's priority tier that AWS bills above the price table)
            "openai-organization", "openai-project", "x-goog-user-project", "x-amzn-bedrock-service-tier",
            "x-amzn-bedrock-performanceconfig-latency",
            // an AWS SDK caller's own SigV4 signature (which cannot carry a proxy token) and its parts: the proxy
            // signs the request to Bedrock itself (provider.Bedrock)
            "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "x-amz-user-agent");

    /**
     * Never relayed from the provider: its cookies and content encoding, the organisation and project it answered
     * for (which name the key's owner, not the caller's), and its own CORS decisions (the proxy makes those: a second
     * {@code Access-Control-Allow-Origin} makes browsers refuse the answer).
     */
    private static final Set<String> NOT_TO_CALLER = Set.of("set-cookie", "set-cookie2", "content-encoding",
            "openai-organization", "openai-project", "anthropic-organization-id", "access-control-allow-origin",
            "access-control-allow-credentials", "access-control-allow-headers", "access-control-allow-methods",
            "access-control-expose-headers", "access-control-max-age");

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

    /** The header names a {@code Connection} header lists, in lower case. */
    private static Set<String> connectionListed(HttpFields fields) {
        Set<String> names = new HashSet<>();
        for (String value : fields.getValuesList("Connection")) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    names.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /**
     * The caller's headers that go to the provider, in their order; not those its {@code Connection} header names,
     * which are for this hop only (RFC 9110 section 7.6.1).
     */
    static void toProvider(HttpFields caller, HttpFields.Mutable upstream) {
        Set<String> hopOnly = connectionListed(caller);
        for (HttpField field : caller) {
            if (forwardToProvider(field.getName()) && !hopOnly.contains(field.getName().toLowerCase(Locale.ROOT))) {
                upstream.add(field.getName(), field.getValue());
            }
        }
    }

    /**
     * The provider's headers that go to the caller. {@code rewritten}: the body may change on the way (server-sent
     * events, see UsageMeter), so its length is not passed on.
     */
    static void toCaller(HttpFields upstream, boolean rewritten, Caller caller) {
        Set<String> hopOnly = connectionListed(upstream);
        for (HttpField field : upstream) {
            String name = field.getName();
            if (forwardToCaller(name) && !hopOnly.contains(field.getName().toLowerCase(Locale.ROOT))
                    && !(rewritten && name.equalsIgnoreCase("Content-Length"))) {
                caller.addHeader(name, field.getValue());
            }
        }
    }
}
