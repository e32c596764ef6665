package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The upstream key that names an Entra ID application: what is taken, what is refused, and that no part leaks. */
class EntraApplicationTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String CLIENT = "0b3c5e1a-7d2f-4c8e-9a6b-1f2e3d4c5b6a";
    private static final String SECRET = "Zx8Q~abc.DEF_ghi-jkl:mno";
    private final AzureOpenAi azure = new AzureOpenAi();

    @Test
    void aWellFormedKeyNamesTheApplicationAndItsSecretMayHoldColons() {
        assertEquals(Optional.of(new EntraApplication(TENANT, CLIENT, SECRET)),
                azure.tokenCredential("entra:" + TENANT + ":" + CLIENT + ":" + SECRET));
        assertEquals("contoso.onmicrosoft.com", EntraApplication.of("entra:contoso.onmicrosoft.com:" + CLIENT + ":"
                + SECRET).orElseThrow().tenant());
        assertTrue(azure.apiKeyProblem("entra:" + TENANT + ":" + CLIENT + ":" + SECRET).isEmpty());
    }

    @Test
    void aResourceKeyIsNoApplicationAndGoesAsItIs() {
        assertTrue(azure.tokenCredential("0123456789abcdef0123456789abcdef").isEmpty());
        assertTrue(azure.apiKeyProblem("0123456789abcdef0123456789abcdef").isEmpty());
        assertTrue(new OpenAi().tokenCredential("entra:" + TENANT + ":" + CLIENT + ":" + SECRET).isEmpty(),
                "only Azure takes Entra ID tokens");
    }

    @Test
    void malformedKeysAreRefusedWithAReasonThatRepeatsNoPartOfThem() {
        for (String key : List.of("entra:", "entra:" + SECRET, "entra:" + TENANT + ":" + CLIENT,
                "entra:" + SECRET + ":" + CLIENT + ":x", "entra:" + TENANT + ":" + SECRET + ":x",
                "entra:" + TENANT + ":" + CLIENT + ":", "entra:" + TENANT + ":" + CLIENT + ":two words",
                "entra:" + TENANT + ":" + CLIENT + ":tab\there", "entra:not a tenant:" + CLIENT + ":" + SECRET)) {
            Optional<String> problem = azure.apiKeyProblem(key);
            assertTrue(problem.isPresent(), key);
            assertTrue(problem.get().contains("entra:<tenant-id>:<client-id>:<client-secret>"), problem.get());
            for (String part : key.substring("entra:".length()).split(":")) {
                if (part.length() > 3) {
                    assertFalse(problem.get().contains(part), problem.get() + " repeats " + part);
                }
            }
            assertTrue(azure.tokenCredential(key).isEmpty(), key);
        }
    }

    @Test
    void theTokenGoesInAuthorizationAndTheSecretStaysOutOfToString() {
        ProvidersTest.Headers headers = new ProvidersTest.Headers();
        azure.applyAccessToken("eyJ0eXAi", headers);
        assertEquals(Map.of("Authorization", "Bearer eyJ0eXAi"), headers.values);
        String shown = new EntraApplication(TENANT, CLIENT, SECRET).toString();
        assertFalse(shown.contains(SECRET), shown);
        assertTrue(shown.contains(TENANT) && shown.contains(CLIENT), shown);
    }
}
