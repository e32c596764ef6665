package dev.llmproxy.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Google Cloud service account, as its JSON key file has it (https://cloud.google.com/iam/docs/keys-create-delete):
 * the account's e-mail, its RSA private key (PKCS #8 PEM) and the token endpoint ({@code token_uri}) where a JWT it
 * signs is exchanged for an OAuth 2.0 access token (RFC 7523, the JWT bearer grant). A Vertex AI upstream's key is the
 * whole JSON, so that it is sealed at rest and never shown, like any key. {@link #toString()} leaves the key out.
 *
 * @param clientEmail  the account ({@code …@{project}.iam.gserviceaccount.com}), the JWT's issuer
 * @param privateKeyId the key's id, the JWT's {@code kid}; empty when the file has none
 * @param privateKey   the PEM text of the private key
 * @param tokenUri     the token endpoint ({@code https://oauth2.googleapis.com/token})
 * @param projectId    the account's project, when the file names it
 */
public record GoogleServiceAccount(String clientEmail, String privateKeyId, String privateKey, URI tokenUri,
                                   Optional<String> projectId) implements TokenCredential {
    /** All Google Cloud APIs, Vertex AI's among them (https://cloud.google.com/vertex-ai/docs/authentication). */
    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    static final String FORM = "a Google service account's JSON key, {\"type\":\"service_account\",…}";
    private static final ObjectMapper JSON = dev.llmproxy.JsonFactories.mapper();
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    /** Whether {@code apiKey} is meant to be a service account's JSON key (it may still be malformed). */
    public static boolean named(String apiKey) {
        return apiKey.stripLeading().startsWith("{");
    }

    /**
     * What is wrong with a key that is meant to be a JSON key; empty when it is well formed or is not JSON at all. The
     * message names fields, never their values: a secret put in the wrong place must not come back in an error.
     */
    public static Optional<String> problem(String apiKey) {
        if (!named(apiKey)) {
            return Optional.empty();
        }
        try {
            read(apiKey);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("is meant to be " + FORM + ", but " + e.getMessage());
        }
    }

    /** The account a well-formed JSON key names; empty for any other key (a malformed one is refused when stored). */
    public static Optional<GoogleServiceAccount> of(String apiKey) {
        if (!named(apiKey)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(apiKey));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static GoogleServiceAccount read(String apiKey) {
        JsonNode node;
        try {
            node = JSON.readTree(apiKey);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the text around the error: only its position is repeated
            throw new IllegalArgumentException("it is not valid JSON (at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        if (!"service_account".equals(node.path("type").asText(null))) {
            throw new IllegalArgumentException("its \"type\" is not \"service_account\" (create a key for a service"
                    + " account in the Google Cloud console, IAM, Service accounts, Keys, JSON)");
        }
        String email = text(node, "client_email");
        if (!email.contains("@")) {
            throw new IllegalArgumentException("its \"client_email\" is not an e-mail address");
        }
        String pem = text(node, "private_key");
        rsaKey(pem);
        String kid = node.path("private_key_id").isTextual() ? node.get("private_key_id").asText() : "";
        String project = node.path("project_id").isTextual() ? node.get("project_id").asText() : null;
        return new GoogleServiceAccount(email, kid, pem, tokenUri(text(node, "token_uri")),
                Optional.ofNullable(project).filter(p -> !p.isBlank()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("its \"" + field + "\" is missing or not a string");
        }
        return value.asText();
    }

    /** An https URL, or http to this host (a test's token endpoint): a token request carries a signed assertion. */
    private static URI tokenUri(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            boolean secure = scheme.equals("https") || scheme.equals("http") && LOOPBACK.contains(host);
            if (!secure || host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("its \"token_uri\" is not an https URL"
                        + " (https://oauth2.googleapis.com/token)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("its \"token_uri\" is not a URL");
        }
    }

    /** The account's private key, read from its PEM text; throws what names no part of it. */
    public RSAPrivateKey rsaPrivateKey() {
        return rsaKey(privateKey);
    }

    private static RSAPrivateKey rsaKey(String pem) {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PRIVATE KEY-----") || body.isEmpty()) {
            throw new IllegalArgumentException("its \"private_key\" is not a PEM private key (-----BEGIN PRIVATE"
                    + " KEY-----)");
        }
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("its \"private_key\" is not a readable RSA private key (PKCS #8)");
        }
    }

    @Override
    public String issuer() {
        return "Google";
    }

    @Override
    public String upstream() {
        return "Vertex AI";
    }

    @Override
    public String keyForm() {
        return FORM;
    }

    @Override
    public String toString() {
        return "GoogleServiceAccount[" + clientEmail + "]";
    }
}
