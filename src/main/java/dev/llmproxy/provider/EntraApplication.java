package dev.llmproxy.provider;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Microsoft Entra ID application whose client credentials get the access tokens an Azure OpenAI upstream is called
 * with instead of its resource key (the OAuth 2.0 client credentials grant, RFC 6749 section 4.4, as
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow describes it). An upstream's
 * key names one as {@code entra:<tenant-id>:<client-id>:<client-secret>}, so that the secret is sealed at rest and
 * never shown, like any key. {@link #toString()} leaves the secret out.
 *
 * @param tenant       the directory (tenant) id, a GUID, or one of its domain names
 * @param clientId     the application (client) id, a GUID
 * @param clientSecret a client secret's value (not its id)
 */
public record EntraApplication(String tenant, String clientId, String clientSecret) implements TokenCredential {
    public static final String PREFIX = "entra:";
    /** Azure OpenAI's resource; {@code .default}: the roles the application was granted (RBAC), no consent prompt. */
    public static final String SCOPE = "https://cognitiveservices.azure.com/.default";
    static final String FORM = "entra:<tenant-id>:<client-id>:<client-secret>";
    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern SECRET = Pattern.compile("^[\\x21-\\x7e]{1,1024}$");

    /** Whether {@code apiKey} is meant to name an application (it may still be malformed, see {@link #problem}). */
    public static boolean named(String apiKey) {
        return apiKey.startsWith(PREFIX);
    }

    /**
     * What is wrong with a key that names an application; empty when it is well formed or names none. The message
     * repeats no part of the key: a secret put in the wrong place must not come back in an error.
     */
    public static Optional<String> problem(String apiKey) {
        if (!named(apiKey)) {
            return Optional.empty();
        }
        String[] parts = apiKey.substring(PREFIX.length()).split(":", 3);
        if (parts.length < 3) {
            return Optional.of("names a Microsoft Entra ID application, so it must be " + FORM + "; it has "
                    + parts.length + " of the 3 parts after entra:");
        }
        if (!GUID.matcher(parts[0]).matches() && !DOMAIN.matcher(parts[0]).matches()) {
            return Optional.of("must be " + FORM + "; its tenant is neither a directory (tenant) id (a GUID) nor a"
                    + " domain name");
        }
        if (!GUID.matcher(parts[1]).matches()) {
            return Optional.of("must be " + FORM + "; its client id is not a GUID (the application (client) id of"
                    + " the app registration)");
        }
        if (!SECRET.matcher(parts[2]).matches()) {
            return Optional.of("must be " + FORM + "; its client secret is empty or holds spaces or control"
                    + " characters (use the secret's value, not its id)");
        }
        return Optional.empty();
    }

    /** The application a well-formed key names; empty for a plain key (or a malformed one, refused when stored). */
    public static Optional<EntraApplication> of(String apiKey) {
        if (!named(apiKey) || problem(apiKey).isPresent()) {
            return Optional.empty();
        }
        String[] parts = apiKey.substring(PREFIX.length()).split(":", 3);
        return Optional.of(new EntraApplication(parts[0], parts[1], parts[2]));
    }

    @Override
    public String issuer() {
        return "Microsoft Entra ID";
    }

    @Override
    public String upstream() {
        return "Azure OpenAI";
    }

    @Override
    public String keyForm() {
        return FORM;
    }

    @Override
    public String toString() {
        return "EntraApplication[tenant " + tenant + ", client " + clientId + "]";
    }
}
