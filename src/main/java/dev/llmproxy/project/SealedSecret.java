package dev.llmproxy.project;

/**
 * A secret sealed by {@link KeyCipher} and the id of the master key that opens it. The ciphertext is
 * {@value #V2_PREFIX} followed by base64 of nonce + ciphertext + tag, under the key's {@code secret-sealing} subkey;
 * without the prefix (base64 has no colon) it is the format before #14, under the master key itself.
 */
public record SealedSecret(String keyId, String ciphertext) {
    static final String V2_PREFIX = "v2:";

    /** Sealed before #14: opens as it always did, and {@code re-encrypt} moves it to the current format. */
    public boolean legacyFormat() {
        return !ciphertext.startsWith(V2_PREFIX);
    }

    @Override
    public String toString() {
        return "SealedSecret[keyId=" + keyId + (legacyFormat() ? ", legacy format" : "") + "]";
    }
}
