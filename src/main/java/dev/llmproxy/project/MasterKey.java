package dev.llmproxy.project;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The installation's one secret (setting {@code encryption-key} or the generated key file). It encrypts provider
 * keys directly and yields independent keys for other purposes (token hashing, the audit chain) by
 * HMAC-SHA-256 derivation, so one secret is backed up and rotated instead of several.
 */
public final class MasterKey {
    private final byte[] raw;

    MasterKey(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("The master key has 32 bytes, got " + raw.length);
        }
        this.raw = raw.clone();
    }

    public KeyCipher cipher(SecureRandom random) {
        return new KeyCipher(raw, random);
    }

    /** A 32-byte key for {@code purpose}; different purposes give unrelated keys. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            return mac.doFinal(("llm-proxy/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + KeyCipher.keyIdOf(raw) + "]";
    }
}
