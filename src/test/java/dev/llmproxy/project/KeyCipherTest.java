package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyCipherTest {
    private final byte[] key = new byte[32];
    private final KeyCipher cipher = new KeyCipher(key, new SecureRandom());

    @Test
    void sealedSecretOpensInItsOwnContextOnly() {
        SealedSecret sealed = cipher.seal("sk-live-abc", "projects/1/api_key");
        assertEquals("sk-live-abc", cipher.open(sealed, "projects/1/api_key"));
        assertThrows(SecretUnreadableException.class, () -> cipher.open(sealed, "projects/2/api_key"));
    }

    @Test
    void everySealUsesAFreshNonce() {
        assertNotEquals(cipher.seal("same", "c").ciphertext(), cipher.seal("same", "c").ciphertext());
    }

    @Test
    void alteredCiphertextIsDetected() {
        SealedSecret sealed = cipher.seal("sk-live-abc", "c");
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[bytes.length - 1] ^= 1;
        var altered = new SealedSecret(sealed.keyId(), Base64.getEncoder().encodeToString(bytes));
        assertThrows(SecretUnreadableException.class, () -> cipher.open(altered, "c"));
    }

    @Test
    void anotherKeyCannotOpenAndSaysWhichKeyIsNeeded() {
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 7);
        SealedSecret sealed = new KeyCipher(other, new SecureRandom()).seal("sk", "c");
        var e = assertThrows(SecretUnreadableException.class, () -> cipher.open(sealed, "c"));
        assertFalse(e.getMessage().contains("sk"), e.getMessage());
        assertNotEquals(cipher.keyId(), sealed.keyId());
    }

    @Test
    void onlyAes256KeysAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new KeyCipher(new byte[16], new SecureRandom()));
    }
}
