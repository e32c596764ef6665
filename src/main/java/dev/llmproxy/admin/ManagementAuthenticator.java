package dev.llmproxy.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks a presented management token against the expected SHA-256 hash in constant time. Hashing both sides
 * first makes the comparison's length fixed, so its duration reveals nothing about the token.
 */
public final class ManagementAuthenticator {
    private final byte[] expectedHash;
    private final String actorName;

    ManagementAuthenticator(String expectedHashHex) {
        this.expectedHash = HexFormat.of().parseHex(expectedHashHex);
        // Names the credential in the audit trail without revealing it: a fingerprint of its hash.
        this.actorName = "management-token:" + sha256Hex(expectedHashHex).substring(0, 8);
    }

    public String actorName() {
        return actorName;
    }

    public boolean accepts(String presentedToken) {
        return presentedToken != null && MessageDigest.isEqual(expectedHash, sha256(presentedToken));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }
}
