package dev.llmproxy.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and hashes proxy tokens. A token is {@code lpt_} followed by 256 random bits from a CSPRNG in base64url;
 * only its HMAC-SHA-256 under a key derived from the master key is stored, so a stolen database cannot be used to
 * check guesses offline.
 */
public final class TokenSecrets {
    static final String PREFIX = "lpt_";
    private static final int RANDOM_BYTES = 32;
    private static final int ENCODED_LENGTH = PREFIX.length() + 43;

    private final Mac prototype;
    private final SecureRandom random;

    public TokenSecrets(byte[] hashKey, SecureRandom random) {
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            this.prototype.init(new SecretKeySpec(hashKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
        this.random = random;
    }

    public String generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Cheap shape check before any hashing or lookup: the prefix and 43 base64url characters. */
    public boolean wellFormed(String token) {
        if (token.length() != ENCODED_LENGTH || !token.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    public String hash(String token) {
        try {
            Mac mac = (Mac) prototype.clone();
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 provider cannot clone", e);
        }
    }

    /** What may be shown of a token: its prefix and last four characters. */
    public static String hint(String token) {
        return PREFIX + "…" + token.substring(token.length() - 4);
    }
}
