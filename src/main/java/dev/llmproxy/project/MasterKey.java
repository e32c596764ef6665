package dev.llmproxy.project;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One master key of the {@link KeyRing} (setting {@code encryption-key}, {@code encryption-keys-retired} or the
 * generated key file). It is never used directly: every purpose gets its own subkey by HKDF-SHA-256 (RFC 5869), with
 * a fixed application salt and the purpose as {@code info}. Its id is a public fingerprint (the first 8 bytes of its
 * SHA-256, as stored beside every secret sealed before #14), so sealed secrets name the key that opens them.
 */
public final class MasterKey {
    static final int BYTES = 32;
    /** RFC 5869 §3.1: a fixed, non-secret salt separates this application's derivations from any other's. */
    private static final byte[] SALT = "dev.llmproxy/master-key/hkdf-salt/v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHECK_LABEL = "llm-proxy master key check value".getBytes(StandardCharsets.UTF_8);

    private final byte[] raw;
    private final String id;

    MasterKey(byte[] raw) {
        if (raw.length != BYTES) {
            throw new IllegalArgumentException("A master key has 32 bytes, got " + raw.length);
        }
        this.raw = raw.clone();
        this.id = fingerprint(raw);
    }

    /** The key's public id: 16 hex digits. */
    public String id() {
        return id;
    }

    /** The 32-byte key for {@code purpose}, e.g. {@code secret-sealing}; different purposes give unrelated keys. */
    byte[] subkey(String purpose) {
        return Hkdf.derive(SALT, raw, ("llm-proxy/" + purpose).getBytes(StandardCharsets.UTF_8), BYTES);
    }

    /**
     * The key check value stored in the database: HMAC-SHA-256 of a fixed label under the {@code key-check} subkey.
     * It proves a configured key is the one the database knows, and says nothing about the key.
     */
    String checkValue() {
        return HexFormat.of().formatHex(Hkdf.hmac(subkey("key-check"), CHECK_LABEL));
    }

    /** The AES key of secrets sealed before #14 (the master key itself), to open them until they are re-sealed. */
    byte[] legacySealingKey() {
        return raw.clone();
    }

    /**
     * How keys for other purposes were derived before #14 (HMAC-SHA-256 of {@code llm-proxy/<purpose>}): an
     * installation made then keeps the token-hash and audit-chain keys it had, so issued tokens and the written
     * audit chain stay valid; from then on they are stored sealed (see {@link InstallationKeys}).
     */
    byte[] legacyDerive(String purpose) {
        return Hkdf.hmac(raw, ("llm-proxy/" + purpose).getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(byte[] raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
