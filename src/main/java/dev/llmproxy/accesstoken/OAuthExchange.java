package dev.llmproxy.accesstoken;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import dev.llmproxy.provider.TokenCredential;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Sends a token request built by Nimbus's OAuth 2.0 SDK and reads the token or error answer (RFC 6749 sections 5.1
 * and 5.2), the same for every grant: a 400 or 401 refusal is the credentials' fault, anything else the endpoint's.
 */
final class OAuthExchange {
    private static final Logger LOG = Logger.getLogger(OAuthExchange.class.getName());
    /** An OAuth error code as RFC 6749 section 5.2 has them; anything else is not repeated to a caller. */
    private static final Pattern ERROR_CODE = Pattern.compile("^[a-z_]{1,40}$");
    /** A lifetime the answer does not state (Entra and Google always do): well under their usual hour. */
    static final long UNSTATED_LIFETIME_SECONDS = 300;
    /**
     * The longest a token is held, whatever its endpoint says (Entra's and Google's last an hour): a stated lifetime of
     * years would overflow the refresh time into the past and have every call ask again.
     */
    static final long LONGEST_LIFETIME_SECONDS = 24 * 3600;
    /** RFC 6750, section 2.1: what a bearer token in an Authorization header may hold. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]{1,16384}=*");

    private final int timeoutMs;
    private final BoundedSender sender = new BoundedSender();

    OAuthExchange(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /**
     * @param where  the endpoint, for the log
     * @param secret what must never reach the log should the endpoint echo it
     */
    TokenEndpoint.Issued send(TokenRequest request, TokenCredential credential, String where, String secret) {
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(timeoutMs);
        http.setReadTimeout(timeoutMs);
        HTTPResponse answer;
        try {
            answer = http.send(sender);
        } catch (IOException e) {
            LOG.log(Level.WARNING, credential.issuer() + " token request for " + credential + " to " + where
                    + " failed: " + e);
            throw AccessTokenException.unavailable(credential, e instanceof SocketTimeoutException
                    ? "did not answer within " + timeoutMs + " ms"
                    : e instanceof BoundedSender.AnswerTooLarge ? "answered with more than a token answer holds"
                    : "could not be reached");
        }
        TokenResponse response;
        try {
            response = TokenResponse.parse(answer);
        } catch (ParseException e) {
            LOG.warning(credential.issuer() + " token endpoint at " + where + " answered " + answer.getStatusCode()
                    + " for " + credential + " with what is not a token: " + scrub(e.getMessage(), secret));
            throw AccessTokenException.unavailable(credential, "answered with what is not a token (status "
                    + answer.getStatusCode() + ")");
        }
        if (!response.indicatesSuccess()) {
            throw refusal(credential, where, secret, answer.getStatusCode(),
                    response.toErrorResponse().getErrorObject());
        }
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        if (!BEARER_TOKEN.matcher(token.getValue()).matches()) { // it goes into a header: RFC 6750's b64token only
            LOG.warning(credential.issuer() + " token endpoint at " + where + " answered " + credential
                    + " with an access token of characters a bearer token cannot have");
            throw AccessTokenException.unavailable(credential, "answered with what is not a bearer token");
        }
        long lifetime = token.getLifetime() > 0 ? Math.min(token.getLifetime(), LONGEST_LIFETIME_SECONDS)
                : UNSTATED_LIFETIME_SECONDS;
        return new TokenEndpoint.Issued(token.getValue(), lifetime);
    }

    private static AccessTokenException refusal(TokenCredential credential, String where, String secret, int status,
                                                ErrorObject error) {
        String code = error == null || error.getCode() == null ? "" : error.getCode();
        String description = error == null || error.getDescription() == null ? "" : error.getDescription();
        LOG.warning(credential.issuer() + " token endpoint at " + where + " refused " + credential + " with "
                + status + " " + scrub(code, secret) + ": " + scrub(description, secret));
        if (status == 400 || status == 401) {
            return AccessTokenException.rejected(credential, ERROR_CODE.matcher(code).matches() ? code
                    : "status " + status);
        }
        return AccessTokenException.unavailable(credential, "answered " + status);
    }

    /** An endpoint's text, for the log, with the secret cut out should it ever be echoed. */
    private static String scrub(String text, String secret) {
        return text == null ? "" : text.replace(secret, "[secret]");
    }
}
