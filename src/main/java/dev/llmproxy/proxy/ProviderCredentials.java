package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.accesstoken.AccessTokens;
import dev.llmproxy.provider.UpstreamHeaders;
import dev.llmproxy.routing.UpstreamTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpFields;

/**
 * Puts an upstream's credentials where its provider expects them: its definition says where. A key that names an
 * Entra ID application is replaced by the application's access token ({@link AccessTokens}), which may first have to
 * be fetched: {@link #accessToken} says when it is at hand.
 */
final class ProviderCredentials {
    private static final CompletableFuture<Optional<String>> KEY_AS_IS = CompletableFuture.completedFuture(
            Optional.empty());

    private final ProxySettings settings;
    private final AccessTokens tokens;

    ProviderCredentials(ProxySettings settings, AccessTokens tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    /** The access token the upstream is called with instead of its key; empty (at once) when the key goes as is. */
    CompletableFuture<Optional<String>> accessToken(UpstreamTarget target) {
        return target.provider().definition().tokenCredential(target.apiKey())
                .map(application -> tokens.token(application).thenApply(Optional::of))
                .orElse(KEY_AS_IS);
    }

    /** The provider refused {@code accessToken}: the next {@link #accessToken} gets a new one. */
    void refused(UpstreamTarget target, String accessToken) {
        target.provider().definition().tokenCredential(target.apiKey())
                .ifPresent(application -> tokens.refused(application, accessToken));
    }

    void apply(UpstreamTarget target, Optional<String> accessToken, HttpFields.Mutable headers) {
        UpstreamHeaders upstream = new UpstreamHeaders() {
            @Override
            public boolean has(String name) {
                return headers.contains(name);
            }

            @Override
            public void put(String name, String value) {
                headers.put(name, value);
            }
        };
        var definition = target.provider().definition();
        accessToken.ifPresentOrElse(token -> definition.applyAccessToken(token, upstream),
                () -> definition.applyCredentials(target.apiKey(), settings, upstream));
    }
}
