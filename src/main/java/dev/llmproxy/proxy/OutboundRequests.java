package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.routing.UpstreamTarget;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;

/** Builds an attempt's request to one upstream from the caller's request and the body the admission settled on. */
final class OutboundRequests {
    /** Added to the longest configured timeout for the client's own idle timeout, which only backs up the watchdog. */
    static final long BACKSTOP_MARGIN_MS = 5_000;

    private final ProxySettings settings;
    private final ProviderCredentials credentials;

    OutboundRequests(ProxySettings settings, ProviderCredentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    ProviderCredentials credentials() {
        return credentials;
    }

    /**
     * A new request for every attempt: a provider that signs requests (Bedrock) signs each afresh, with its own date.
     * Throws {@link dev.llmproxy.provider.CredentialsUnavailableException} when the signing credentials cannot be had.
     *
     * @param accessToken what {@link ProviderCredentials#accessToken} gave for {@code target} */
    OutboundRequest build(UpstreamTarget target, CallerRequest caller, byte[] body, Optional<String> accessToken) {
        HttpFields.Mutable headers = HttpFields.build();
        HeaderCopier.toProvider(caller.headers(), headers);
        headers.put("Accept-Encoding", "identity");
        credentials.apply(target, accessToken, headers);
        boolean sendBody = body.length > 0 || !caller.method().equals("GET");
        var definition = target.provider().definition();
        String url = definition.upstreamUrl(definition.resolvedBaseUrl(target.baseUrl(), settings),
                caller.pathAndQuery());
        credentials.sign(target, caller.method(), url, caller.contentType(), sendBody ? body : new byte[0], headers);
        return new OutboundRequest(url, caller.method(), headers.asImmutable(),
                caller.contentType(), sendBody ? body : null,
                Math.max(settings.responseTimeoutMs(), settings.idleTimeoutMs()) + BACKSTOP_MARGIN_MS);
    }
}
