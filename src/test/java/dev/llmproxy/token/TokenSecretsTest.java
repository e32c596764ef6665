package dev.llmproxy.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {
    private final TokenSecrets secrets = new TokenSecrets(new byte[32], new SecureRandom());

    @Test
    void tokensAreRecognisableUniqueAndWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = secrets.generate();
            assertTrue(token.startsWith("lpt_"));
            assertTrue(secrets.wellFormed(token), token);
            assertTrue(seen.add(token));
        }
        assertFalse(secrets.wellFormed("lpt_short"));
        assertFalse(secrets.wellFormed("sk-" + "a".repeat(44)));
    }

    @Test
    void hashIsKeyedAndStable() {
        String token = secrets.generate();
        assertEquals(secrets.hash(token), secrets.hash(token));
        assertEquals(64, secrets.hash(token).length());
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertNotEquals(secrets.hash(token), new TokenSecrets(otherKey, new SecureRandom()).hash(token));
    }

    @Test
    void hintShowsOnlyPrefixAndLastFour() {
        String token = secrets.generate();
        String hint = TokenSecrets.hint(token);
        assertEquals("lpt_…" + token.substring(token.length() - 4), hint);
    }
}
