package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Vertex AI upstream's key: a service account's JSON key, checked when stored, its errors repeating none of it. */
class GoogleServiceAccountTest {
    static final String PEM = pem();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String pem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode key(String pem, String tokenUri) {
        return JSON.createObjectNode().put("type", "service_account").put("project_id", "my-project")
                .put("private_key_id", "abc123").put("private_key", pem)
                .put("client_email", "proxy@my-project.iam.gserviceaccount.com").put("client_id", "1234")
                .put("token_uri", tokenUri);
    }

    static String json(String pem, String tokenUri) {
        return key(pem, tokenUri).toString();
    }

    @Test
    void aConsoleKeyIsReadWithItsAccountKeyAndTokenEndpoint() {
        GoogleServiceAccount account = GoogleServiceAccount.of("  " + json(PEM, "https://oauth2.googleapis.com/token"))
                .orElseThrow();
        assertEquals("proxy@my-project.iam.gserviceaccount.com", account.clientEmail());
        assertEquals("abc123", account.privateKeyId());
        assertEquals(URI.create("https://oauth2.googleapis.com/token"), account.tokenUri());
        assertEquals(Optional.of("my-project"), account.projectId());
        assertEquals("RSA", account.rsaPrivateKey().getAlgorithm());
        assertFalse(account.toString().contains("PRIVATE"), account.toString());
        assertEquals("Google", account.issuer());
        assertEquals(account, GoogleServiceAccount.of(json(PEM, "https://oauth2.googleapis.com/token")).orElseThrow(),
                "the same key is the same account: one cached token");
        assertTrue(GoogleServiceAccount.of(json(PEM, "http://127.0.0.1:8123/token")).isPresent(), "a test's endpoint");
    }

    @Test
    void aKeyThatIsNotJsonIsNoAccount() {
        assertTrue(GoogleServiceAccount.problem("AQ.express-key").isEmpty());
        assertTrue(GoogleServiceAccount.of("AQ.express-key").isEmpty());
    }

    @Test
    void aMalformedKeyIsRefusedNamingTheFieldAndRepeatingNoneOfIt() {
        String secretBody = PEM.substring(40, 80);
        ObjectNode wrongType = key(PEM, "https://oauth2.googleapis.com/token").put("type", "authorized_user");
        ObjectNode noEmail = key(PEM, "https://oauth2.googleapis.com/token");
        noEmail.remove("client_email");
        ObjectNode plainHttp = key(PEM, "http://oauth2.example.com/token");
        List<String[]> cases = List.of(
                new String[] {"{\"type\":\"service_account\",\"private_key\":\"" + secretBody, "not valid JSON"},
                new String[] {wrongType.toString(), "\"type\""},
                new String[] {noEmail.toString(), "\"client_email\""},
                new String[] {json("-----BEGIN PRIVATE KEY-----\n" + secretBody + "\n-----END PRIVATE KEY-----",
                        "https://oauth2.googleapis.com/token"), "\"private_key\""},
                new String[] {json(secretBody, "https://oauth2.googleapis.com/token"), "\"private_key\""},
                new String[] {plainHttp.toString(), "\"token_uri\""},
                new String[] {json(PEM, "not a uri " + secretBody), "\"token_uri\""});
        for (String[] c : cases) {
            Optional<String> problem = GoogleServiceAccount.problem(c[0]);
            assertTrue(problem.isPresent(), c[0]);
            assertTrue(problem.get().contains(c[1]), problem.get());
            assertFalse(problem.get().contains(secretBody), "repeats none of the key: " + problem.get());
            assertTrue(GoogleServiceAccount.of(c[0]).isEmpty());
        }
    }
}
