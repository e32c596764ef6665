package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Vertex AI as {@link MockProvider} plays it, with the OAuth 2.0 token endpoint of its service accounts.
 * <ul>
 * <li>{@code POST /google/{label}/token}: the JWT bearer grant (RFC 7523) as
 *     https://developers.google.com/identity/protocols/oauth2/service-account#httprest has it: a form with
 *     {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} and the {@code assertion}, an RS256 JWT whose
 *     signature must verify with the test account's public key, whose {@code iss} is the account, {@code aud} this
 *     endpoint and {@code scope} cloud-platform, and which has not expired; it answers {@code access_token},
 *     {@code expires_in} 3599 and {@code token_type}. Google's 400 {@code invalid_grant} otherwise. Labels starting
 *     {@code rejected} answer that always, {@code slow} answer after 4 s, {@code down} answer 503.</li>
 * <li>Vertex AI's paths, under {@code /v1} and {@code /v1beta1}: a Gemini model's
 *     {@code projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent} (and without the project and
 *     location, express mode) as the Gemini API answers ({@link MockGemini}); an Anthropic model's
 *     {@code …/publishers/anthropic/models/{m}:rawPredict} and {@code :streamRawPredict}, whose body must carry
 *     {@code anthropic_version} and no {@code model}, as Anthropic's Messages API answers;
 *     {@code …/endpoints/openapi/chat/completions} as OpenAI's. Every one requires {@code Authorization: Bearer} with a
 *     token this mock issued (Google's 401 {@code UNAUTHENTICATED} otherwise) and no {@code x-goog-api-key}.</li>
 * </ul>
 */
final class MockVertex {
    static final String TOKEN_PATH = "/google/";
    private static final Pattern MODEL_CALL = Pattern.compile("^/v1(?:beta1)?(?:/projects/[^/]+/locations/[^/]+)?"
            + "/publishers/(google|anthropic)/models/([^/]+):([A-Za-z]+)$");
    private static final Pattern OPENAI = Pattern.compile(
            "^/v1(?:beta1)?/projects/[^/]+/locations/[^/]+/endpoints/openapi/(.+)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One key pair for every test account: the mock checks assertions with its public half. */
    private static final KeyPair KEYS = keyPair();

    private final MockProvider provider;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();

    MockVertex(MockProvider provider) {
        this.provider = provider;
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The account's e-mail for {@code label}. */
    static String email(String label) {
        return label + "@llm-proxy-test.iam.gserviceaccount.com";
    }

    /** A service account's JSON key as the Google Cloud console makes it, whose token endpoint is this mock's. */
    static String serviceAccountJson(String mockBaseUrl, String label) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = JSON.createObjectNode().put("type", "service_account").put("project_id", "llm-proxy-test")
                .put("private_key_id", "0123456789abcdef0123456789abcdef01234567").put("private_key", pem)
                .put("client_email", email(label)).put("client_id", "104729301823749182734")
                .put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
                .put("token_uri", mockBaseUrl + TOKEN_PATH + label + "/token")
                .put("universe_domain", "googleapis.com");
        return key.toString();
    }

    static boolean serves(String path) {
        return path.startsWith(TOKEN_PATH) || path.startsWith("/v1beta1/") || path.startsWith("/v1/projects/")
                || path.startsWith("/v1/publishers/");
    }

    /** Token requests of the account of {@code label}. */
    int tokenRequests(String label) {
        return provider.receivedOn(TOKEN_PATH + label + "/token").size();
    }

    void handle(HttpExchange ex, String path, String body) throws IOException {
        if (path.startsWith(TOKEN_PATH)) {
            token(ex, path, body);
            return;
        }
        String bearer = ex.getRequestHeaders().getFirst("Authorization");
        if (bearer == null || !bearer.startsWith("Bearer ") || !issued.contains(bearer.substring(7))
                || ex.getRequestHeaders().containsKey("x-goog-api-key")) {
            MockProvider.json(ex, 401, "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
                    + " credentials. Expected OAuth 2 access token, login cookie or other valid authentication"
                    + " credential.\",\"status\":\"UNAUTHENTICATED\"}}");
            return;
        }
        JsonNode request = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        Matcher call = MODEL_CALL.matcher(path);
        Matcher openAi = OPENAI.matcher(path);
        if (call.matches() && call.group(1).equals("google")) {
            MockGemini.answer(provider, ex, "/v1beta/models/" + call.group(2) + ":" + call.group(3), request);
        } else if (call.matches() && call.group(3).endsWith("awPredict")) {
            anthropic(ex, call.group(2), call.group(3), request);
        } else if (openAi.matches()) {
            provider.route(ex, "/v1/" + openAi.group(1), request, request.path("model").asText(""));
        } else {
            MockProvider.json(ex, 404, "{\"error\":{\"code\":404,\"message\":\"no mock for " + path
                    + "\",\"status\":\"NOT_FOUND\"}}");
        }
    }

    /**
     * https://docs.anthropic.com/en/api/claude-on-vertex-ai: the model in the path, the version in the body (the docs
     * show {@code vertex-2023-10-16}; @anthropic-ai/vertex-sdk 1.1.5 puts its {@code anthropic-version} header's
     * value there, so any version is taken), none in a header.
     */
    private void anthropic(HttpExchange ex, String model, String method, JsonNode request) throws IOException {
        if (request.path("anthropic_version").asText("").isBlank() || request.has("model")
                || ex.getRequestHeaders().containsKey("anthropic-version")) {
            MockProvider.json(ex, 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                    + "\"message\":\"anthropic_version is required in the body, model is not allowed\"}}");
            return;
        }
        if (request.path("stream").asBoolean(false) != method.equals("streamRawPredict")) {
            MockProvider.json(ex, 400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                    + "\"message\":\"stream must match the method\"}}");
            return;
        }
        provider.route(ex, "/v1/messages", request, model);
    }

    private void token(HttpExchange ex, String path, String form) throws IOException {
        String label = path.substring(TOKEN_PATH.length(), path.length() - "/token".length());
        if (label.startsWith("slow")) {
            MockProvider.sleep(4_000);
        }
        if (label.startsWith("down")) {
            MockProvider.json(ex, 503, "{\"error\":\"internal_failure\"}");
            return;
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String audience = provider.baseUrl() + path;
        if (label.startsWith("rejected") || !ex.getRequestMethod().equals("POST")
                || !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))
                || !validAssertion(fields.get("assertion"), email(label), audience)) {
            MockProvider.json(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":"
                    + "\"Invalid JWT Signature.\"}");
            return;
        }
        String token = "ya29.mock-vertex-" + count.incrementAndGet();
        issued.add(token);
        MockProvider.json(ex, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3599,"
                + "\"token_type\":\"Bearer\"}");
    }

    /** The assertion's RS256 signature, issuer, audience, scope and times, checked as Google does. */
    private static boolean validAssertion(String jwt, String issuer, String audience) {
        if (jwt == null) {
            return false;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Base64.Decoder url = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(url.decode(parts[0]));
            JsonNode claims = JSON.readTree(url.decode(parts[1]));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(KEYS.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            long now = System.currentTimeMillis() / 1000;
            JsonNode aud = claims.path("aud");
            String audienceClaim = aud.isArray() ? aud.path(0).asText() : aud.asText();
            return rs256.verify(url.decode(parts[2])) && header.path("alg").asText().equals("RS256")
                    && issuer.equals(claims.path("iss").asText()) && audience.equals(audienceClaim)
                    && claims.path("scope").asText().contains("https://www.googleapis.com/auth/cloud-platform")
                    && claims.path("iat").asLong() <= now + 60 && claims.path("exp").asLong() > now
                    && claims.path("exp").asLong() - claims.path("iat").asLong() <= 3600;
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
