package dev.llmproxy.accesstoken;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.provider.EntraApplication;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Entra ID's v2.0 token endpoint, {@code {authority}/{tenant}/oauth2/v2.0/token}, asked with the client credentials
 * grant (client id and secret in the form, {@code client_secret_post}) through Nimbus's OAuth 2.0 SDK (RFC 6749
 * section 4.4).
 */
final class EntraTokenEndpoint {
    private final URI authority;
    private final OAuthExchange exchange;

    EntraTokenEndpoint(EntraSettings settings) {
        this.authority = settings.authority();
        this.exchange = new OAuthExchange(settings.timeoutMs());
    }

    URI tokenUri(EntraApplication application) {
        return URI.create(authority + "/" + URLEncoder.encode(application.tenant(), StandardCharsets.UTF_8)
                + "/oauth2/v2.0/token");
    }

    TokenEndpoint.Issued fetch(EntraApplication application) {
        TokenRequest request = new TokenRequest(tokenUri(application),
                new ClientSecretPost(new ClientID(application.clientId()), new Secret(application.clientSecret())),
                new ClientCredentialsGrant(), new Scope(EntraApplication.SCOPE));
        return exchange.send(request, application, authority.toString(), application.clientSecret());
    }
}
