package dev.llmproxy.accesstoken;

import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.config.GoogleAuthSettings;
import dev.llmproxy.provider.EntraApplication;
import dev.llmproxy.provider.GoogleServiceAccount;
import dev.llmproxy.provider.TokenCredential;

/** The token endpoint of each kind of credentials: Entra ID's for an application, Google's for a service account. */
final class TokenEndpoints implements TokenEndpoint {
    private final EntraTokenEndpoint entra;
    private final GoogleTokenEndpoint google;
    private final EntraSettings entraSettings;
    private final GoogleAuthSettings googleSettings;

    TokenEndpoints(EntraSettings entraSettings, GoogleAuthSettings googleSettings) {
        this.entra = new EntraTokenEndpoint(entraSettings);
        this.google = new GoogleTokenEndpoint(googleSettings);
        this.entraSettings = entraSettings;
        this.googleSettings = googleSettings;
    }

    @Override
    public Issued fetch(TokenCredential credential) {
        if (credential instanceof EntraApplication application) {
            return entra.fetch(application);
        }
        if (credential instanceof GoogleServiceAccount account) {
            return google.fetch(account);
        }
        throw new IllegalArgumentException("no token endpoint for " + credential);
    }

    /** The longest a request for {@code credential}'s token may take. */
    long timeoutMs(TokenCredential credential) {
        return credential instanceof GoogleServiceAccount ? googleSettings.timeoutMs() : entraSettings.timeoutMs();
    }
}
