package dev.llmproxy.accesstoken;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.llmproxy.config.GoogleAuthSettings;
import dev.llmproxy.provider.GoogleServiceAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A service account's token endpoint (its key's {@code token_uri}, Google's
 * {@code https://oauth2.googleapis.com/token}), asked with the JWT bearer grant (RFC 7523 section 2.1) as a service account does
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest): a JWT the account signs with its
 * key (RS256, {@code kid} the key's id) whose issuer is the account, audience the endpoint and {@code scope}
 * cloud-platform, valid for an hour. Built, signed and sent with Nimbus (docs/dependencies.md says why not
 * google-auth-library).
 */
final class GoogleTokenEndpoint {
    private static final Logger LOG = Logger.getLogger(GoogleTokenEndpoint.class.getName());
    /** The longest assertion Google takes (https://developers.google.com/identity/protocols/oauth2/service-account). */
    static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

    private final OAuthExchange exchange;
    private final Clock clock;

    GoogleTokenEndpoint(GoogleAuthSettings settings) {
        this(settings, Clock.systemUTC());
    }

    GoogleTokenEndpoint(GoogleAuthSettings settings, Clock clock) {
        this.exchange = new OAuthExchange(settings.timeoutMs());
        this.clock = clock;
    }

    TokenEndpoint.Issued fetch(GoogleServiceAccount account) {
        return exchange.send(new TokenRequest(account.tokenUri(), new JWTBearerGrant(assertion(account))), account,
                account.tokenUri().toString(), account.privateKey());
    }

    SignedJWT assertion(GoogleServiceAccount account) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(account.clientEmail())
                .audience(account.tokenUri().toString())
                .claim("scope", GoogleServiceAccount.SCOPE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
        if (!account.privateKeyId().isEmpty()) {
            header.keyID(account.privateKeyId());
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(account.rsaPrivateKey()));
        } catch (JOSEException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Cannot sign a token request for " + account + ": " + e.getClass().getName());
            throw AccessTokenException.unavailable(account, "could not be asked (the key cannot sign)");
        }
        return jwt;
    }
}
