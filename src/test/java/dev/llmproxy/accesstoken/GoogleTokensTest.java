package dev.llmproxy.accesstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.DomainException;
import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.config.GoogleAuthSettings;
import dev.llmproxy.provider.EntraApplication;
import dev.llmproxy.provider.GoogleServiceAccount;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service account's tokens through the same cache as Entra ID's, over the real Nimbus request (the JWT bearer
 * grant, RFC 7523), against a mock token endpoint that is the account key's token_uri.
 */
class GoogleTokensTest {
    private static KeyPair keys;
    private final MockTokenEndpoint mock = new MockTokenEndpoint();
    private final ObjectMapper json = new ObjectMapper();
    private AccessTokens tokens;
    private GoogleServiceAccount account;

    @BeforeAll
    static void keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @BeforeEach
    void start() {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        account = GoogleServiceAccount.of(json.createObjectNode().put("type", "service_account")
                .put("private_key_id", "kid-1").put("private_key", pem)
                .put("client_email", "proxy@p.iam.gserviceaccount.com")
                .put("token_uri", mock.authority() + "/token").toString()).orElseThrow();
        tokens = new AccessTokens(new EntraSettings(mock.authority(), 2_000), new GoogleAuthSettings(5_000));
    }

    @AfterEach
    void stop() {
        tokens.close();
        mock.close();
    }

    private static DomainException failure(CompletableFuture<String> token) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> token.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(DomainException.class, e.getCause());
    }

    @Test
    void asksWithAJwtTheAccountSignedForCloudPlatformAtItsTokenUri() throws Exception {
        assertEquals("tok-1", tokens.token(account).get(5, TimeUnit.SECONDS));
        assertEquals(List.of("/token"), mock.paths);
        Map<String, String> form = java.util.Arrays.stream(mock.forms.get(0).split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
        assertEquals(2, form.size(), "the grant and the assertion only: " + form.keySet());
        String[] jwt = form.get("assertion").split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(jwt[2])), "signed with the account's key");
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals("kid-1", header.path("kid").asText());
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals("proxy@p.iam.gserviceaccount.com", claims.path("iss").asText());
        assertEquals(mock.authority() + "/token", claims.path("aud").asText());
        assertEquals("https://www.googleapis.com/auth/cloud-platform", claims.path("scope").asText());
        assertEquals(3600, claims.path("exp").asLong() - claims.path("iat").asLong());
        assertTrue(Math.abs(claims.path("iat").asLong() - System.currentTimeMillis() / 1000) < 60);
    }

    @Test
    void oneCacheHoldsEachCredentialsTokenAndCallsThatWaitTogetherShareOneRequest() throws Exception {
        mock.answer = MockTokenEndpoint.Answer.token("google", 3599).delayed(100);
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(tokens.token(account));
        }
        for (CompletableFuture<String> w : waiting) {
            assertEquals("google", w.get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, mock.requests());
        mock.answer = null;
        EntraApplication app = new EntraApplication("contoso.onmicrosoft.com", "11111111-2222-3333-4444-555555555555",
                "s3cr3t");
        String entra = tokens.token(app).get(5, TimeUnit.SECONDS);
        assertNotEquals("google", entra, "Entra ID's application has its own token");
        assertTrue(tokens.token(account).isDone(), "the account's is still at hand");
        assertEquals(2, tokens.held());
    }

    @Test
    void aRefusedAssertionIsRejectedAndASlowEndpointUnavailableWithinGooglesDeadline() throws Exception {
        mock.answer = new MockTokenEndpoint.Answer(400, "{\"error\":\"invalid_grant\",\"error_description\":"
                + "\"Invalid JWT Signature.\"}", 0);
        DomainException refused = failure(tokens.token(account));
        assertEquals("upstream_credentials_rejected", refused.code());
        assertEquals(502, refused.kind().status());
        assertTrue(refused.getMessage().contains("Google refused the credentials of this project's Vertex AI"
                + " upstream (invalid_grant)"), refused.getMessage());
        assertFalse(refused.getMessage().contains("PRIVATE"), refused.getMessage());

        tokens.close(); // Google's deadline, not Entra's
        tokens = new AccessTokens(new EntraSettings(mock.authority(), 5_000), new GoogleAuthSettings(300));
        mock.answer = MockTokenEndpoint.Answer.token("late", 3599).delayed(1_500);
        long started = System.nanoTime();
        DomainException slow = failure(tokens.token(account));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("upstream_credentials_unavailable", slow.code());
        assertEquals(503, slow.kind().status());
        assertTrue(slow.getMessage().contains("No Google access token") && slow.getMessage().contains("300 ms"),
                slow.getMessage());
        assertTrue(tookMs < 1_200, "vertex-ai-token-timeout-ms, not Entra's 5 s: " + tookMs + " ms");
    }
}
