package dev.llmproxy.entra;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.provider.EntraApplication;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Entra ID's v2.0 token endpoint, {@code {authority}/{tenant}/oauth2/v2.0/token}, asked with the client credentials
 * grant (client id and secret in the form, {@code client_secret_post}) through Nimbus's OAuth 2.0 SDK, which builds
 * the request and reads the token or error answer (RFC 6749 sections 4.4, 5.1 and 5.2).
 */
final class NimbusTokenEndpoint implements TokenEndpoint {
    private static final Logger LOG = Logger.getLogger(NimbusTokenEndpoint.class.getName());
    /** An OAuth error code as RFC 6749 section 5.2 has them; anything else is not repeated to a caller. */
    private static final Pattern ERROR_CODE = Pattern.compile("^[a-z_]{1,40}$");
    /** A lifetime the answer does not state (Entra always does): well under Entra's usual hour. */
    static final long UNSTATED_LIFETIME_SECONDS = 300;

    private final URI authority;
    private final int timeoutMs;

    NimbusTokenEndpoint(EntraSettings settings) {
        this.authority = settings.authority();
        this.timeoutMs = settings.timeoutMs();
    }

    URI tokenUri(EntraApplication application) {
        return URI.create(authority + "/" + URLEncoder.encode(application.tenant(), StandardCharsets.UTF_8)
                + "/oauth2/v2.0/token");
    }

    @Override
    public Issued fetch(EntraApplication application) {
        TokenRequest request = new TokenRequest(tokenUri(application),
                new ClientSecretPost(new ClientID(application.clientId()), new Secret(application.clientSecret())),
                new ClientCredentialsGrant(), new Scope(EntraApplication.SCOPE));
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(timeoutMs);
        http.setReadTimeout(timeoutMs);
        HTTPResponse answer;
        try {
            answer = http.send();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Entra ID token request for " + application + " to " + authority + " failed: " + e);
            throw EntraTokenException.unavailable(e instanceof SocketTimeoutException
                    ? "did not answer within " + timeoutMs + " ms" : "could not be reached");
        }
        TokenResponse response;
        try {
            response = TokenResponse.parse(answer);
        } catch (ParseException e) {
            LOG.warning("Entra ID token endpoint at " + authority + " answered " + answer.getStatusCode() + " for "
                    + application + " with what is not a token: " + scrub(e.getMessage(), application));
            throw EntraTokenException.unavailable("answered with what is not a token (status "
                    + answer.getStatusCode() + ")");
        }
        if (!response.indicatesSuccess()) {
            throw refusal(application, answer.getStatusCode(), response.toErrorResponse().getErrorObject());
        }
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        long lifetime = token.getLifetime() > 0 ? token.getLifetime() : UNSTATED_LIFETIME_SECONDS;
        return new Issued(token.getValue(), lifetime);
    }

    private EntraTokenException refusal(EntraApplication application, int status, ErrorObject error) {
        String code = error == null || error.getCode() == null ? "" : error.getCode();
        String description = error == null || error.getDescription() == null ? "" : error.getDescription();
        LOG.warning("Entra ID token endpoint at " + authority + " refused " + application + " with " + status + " "
                + scrub(code, application) + ": " + scrub(description, application));
        if (status == 400 || status == 401) {
            return EntraTokenException.rejected(ERROR_CODE.matcher(code).matches() ? code : "status " + status);
        }
        return EntraTokenException.unavailable("answered " + status);
    }

    /** An endpoint's text, for the log, with the secret cut out should it ever be echoed. */
    private static String scrub(String text, EntraApplication application) {
        return text == null ? "" : text.replace(application.clientSecret(), "[secret]");
    }
}
