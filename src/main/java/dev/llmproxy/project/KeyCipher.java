package dev.llmproxy.project;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per encryption (NIST SP 800-38D), under the {@code secret-sealing} HKDF
 * subkey of the ring's current master key. The caller's {@code context} (the row it belongs to) is authenticated as
 * associated data, so a ciphertext copied into another row fails to open. Opening picks the ring's key by the id
 * stored with the secret, so secrets sealed under a retired key (or in the format before #14) still open.
 */
public final class KeyCipher {
    static final String SEALING_PURPOSE = "secret-sealing";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing ring;
    private final SecretKeySpec sealingKey;
    private final SecureRandom random;

    KeyCipher(KeyRing ring, SecureRandom random) {
        this.ring = ring;
        this.sealingKey = new SecretKeySpec(ring.current().subkey(SEALING_PURPOSE), "AES");
        this.random = random;
    }

    /** A cipher with one master key and no retired ones (tests, tools). */
    public KeyCipher(byte[] rawKey, SecureRandom random) {
        this(KeyRing.of(new MasterKey(rawKey)), random);
    }

    /** The id of the key new secrets are sealed with. */
    public String keyId() {
        return ring.current().id();
    }

    /** Sealed under the current key in the current format: nothing to re-seal. */
    public boolean isCurrent(SealedSecret sealed) {
        return sealed.keyId().equals(keyId()) && !sealed.legacyFormat();
    }

    public SealedSecret seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return new SealedSecret(keyId(), SealedSecret.V2_PREFIX + Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String open(SealedSecret sealed, String context) {
        MasterKey key = ring.byId(sealed.keyId()).orElseThrow(() -> new SecretUnreadableException("it was sealed"
                + " with master key " + sealed.keyId() + ", which this instance does not hold (" + ring.describe()
                + ")"));
        boolean legacy = sealed.legacyFormat();
        byte[] in;
        try {
            in = Base64.getDecoder().decode(legacy ? sealed.ciphertext()
                    : sealed.ciphertext().substring(SealedSecret.V2_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretUnreadableException("the stored ciphertext is not base64 (the row was altered)");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretUnreadableException("the stored ciphertext is too short (the row was altered)");
        }
        byte[] aesKey = legacy ? key.legacySealingKey() : key.subkey(SEALING_PURPOSE);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
                    new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretUnreadableException("authentication failed (wrong key, or the row was altered)");
        }
    }
}
