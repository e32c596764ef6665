package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
        byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext().substring(SealedSecret.V2_PREFIX.length()));
        bytes[bytes.length - 1] ^= 1;
        var altered = new SealedSecret(sealed.keyId(), SealedSecret.V2_PREFIX + Base64.getEncoder().encodeToString(bytes));
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

    @Test
    void secretsSealedUnderAnOlderKeyOpenWhileItIsInTheRingAndNewOnesUseTheCurrentKey() {
        MasterKey a = key(1);
        MasterKey b = key(2);
        SealedSecret underA = KeyRing.of(a).cipher(new SecureRandom()).seal("sk-old", "c");
        KeyCipher rotated = new KeyRing(b, "test", List.of(a)).cipher(new SecureRandom());
        assertEquals("sk-old", rotated.open(underA, "c"), "a retired key still opens what it sealed");
        assertFalse(rotated.isCurrent(underA));
        SealedSecret underB = rotated.seal("sk-new", "c");
        assertEquals(b.id(), underB.keyId(), "new secrets are sealed under the current key");
        assertTrue(rotated.isCurrent(underB));

        KeyCipher onlyB = KeyRing.of(b).cipher(new SecureRandom());
        assertEquals("sk-new", onlyB.open(underB, "c"));
        var e = assertThrows(SecretUnreadableException.class, () -> onlyB.open(underA, "c"));
        assertTrue(e.getMessage().contains(a.id()), "names the key it needs: " + e.getMessage());
    }

    @Test
    void aSecretSealedBeforeKeyRotationExistedStillOpens() throws Exception {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 3);
        MasterKey master = new MasterKey(raw);
        // The format before #14: AES-GCM under the master key itself, base64 of nonce | ciphertext | tag, no prefix.
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, nonce));
        aes.updateAAD("projects/p1/api_key".getBytes(StandardCharsets.UTF_8));
        byte[] sealed = aes.doFinal("sk-from-2025".getBytes(StandardCharsets.UTF_8));
        String old = Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed)
                .array());
        SealedSecret legacy = new SealedSecret(master.id(), old);

        assertTrue(legacy.legacyFormat());
        KeyCipher cipher = KeyRing.of(master).cipher(new SecureRandom());
        assertEquals("sk-from-2025", cipher.open(legacy, "projects/p1/api_key"));
        assertFalse(cipher.isCurrent(legacy), "re-encrypt moves it to the current format");
        assertThrows(SecretUnreadableException.class, () -> cipher.open(legacy, "projects/p2/api_key"));
    }

    @Test
    void theSealingKeyIsAnHkdfSubkeyNotTheMasterKey() {
        MasterKey master = key(5);
        SealedSecret sealed = KeyRing.of(master).cipher(new SecureRandom()).seal("sk", "c");
        SealedSecret asLegacy = new SealedSecret(sealed.keyId(), sealed.ciphertext().substring(3));
        assertThrows(SecretUnreadableException.class, () -> KeyRing.of(master).cipher(new SecureRandom())
                .open(asLegacy, "c"), "the master key itself does not open a current-format secret");
        assertFalse(Arrays.equals(master.subkey("secret-sealing"), master.subkey("key-check")));
        assertFalse(Arrays.equals(master.subkey("secret-sealing"), master.legacySealingKey()));
    }

    @Test
    void checkValueDependsOnTheKeyAndShowsNothingOfIt() {
        MasterKey a = key(1);
        assertEquals(a.checkValue(), key(1).checkValue());
        assertNotEquals(a.checkValue(), key(2).checkValue());
        assertEquals(64, a.checkValue().length());
        assertFalse(a.checkValue().contains(java.util.HexFormat.of().formatHex(a.legacySealingKey())));
    }

    static MasterKey key(int fill) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) fill);
        return new MasterKey(raw);
    }
}
