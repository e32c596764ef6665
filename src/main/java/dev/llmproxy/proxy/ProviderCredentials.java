package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.accesstoken.AccessTokens;
import dev.llmproxy.provider.SignableRequest;
import dev.llmproxy.provider.SigningContext;
import dev.llmproxy.provider.UpstreamHeaders;
import dev.llmproxy.routing.UpstreamTarget;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Puts an upstream's credentials where its provider expects them: its definition says where. A key that names an
 * Entra ID application is replaced by the application's access token ({@link AccessTokens}), which may first have to
 * be fetched: {@link #accessToken} says when it is at hand. A provider that signs its requests (Bedrock's SigV4) signs
 * each attempt's request last ({@link #sign}), with the application's clock and, for a key that asks for it, AWS's
 * default credentials chain ({@link AwsDefaultChain}, one per application).
 */
final class ProviderCredentials {
    private static final CompletableFuture<Optional<String>> KEY_AS_IS = CompletableFuture.completedFuture(
            Optional.empty());

    private final ProxySettings settings;
    private final AccessTokens tokens;
    private final SigningContext signing;

    ProviderCredentials(ProxySettings settings, AccessTokens tokens) {
        this(settings, tokens, Clock.systemUTC(), new AwsDefaultChain());
    }

    ProviderCredentials(ProxySettings settings, AccessTokens tokens, Clock clock,
                        Supplier<AwsCredentialsIdentity> awsDefaultChain) {
        this.settings = settings;
        this.tokens = tokens;
        this.signing = new SigningContext(settings, clock, awsDefaultChain);
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
        UpstreamHeaders upstream = new Fields(headers, null, null, null, null);
        var definition = target.provider().definition();
        accessToken.ifPresentOrElse(token -> definition.applyAccessToken(token, upstream),
                () -> definition.applyCredentials(target.apiKey(), settings, upstream));
    }

    /** Signs the request where its provider signs requests (Bedrock's SigV4), over exactly what is sent. */
    void sign(UpstreamTarget target, String method, String url, String contentType, byte[] body,
              HttpFields.Mutable headers) {
        target.provider().definition().sign(target.apiKey(), signing,
                new Fields(headers, method, url, contentType, body));
    }

    /** The attempt's headers, as a definition reads and sets them. */
    private record Fields(HttpFields.Mutable fields, String method, String url, String contentType, byte[] body)
            implements SignableRequest {
        @Override
        public boolean has(String name) {
            return fields.contains(name);
        }

        @Override
        public void put(String name, String value) {
            fields.put(name, value);
        }

        @Override
        public Map<String, List<String>> headers() {
            Map<String, List<String>> byName = new LinkedHashMap<>();
            for (HttpField field : fields) {
                byName.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
            }
            return byName;
        }
    }
}
