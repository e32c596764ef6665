package dev.llmproxy.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where an answer is kept: the project and its cache generation in clear (so a purge finds them), and a SHA-256 of
 * everything else that decides the answer: method, path with query, the API-version headers and the body.
 */
public record CacheKey(String projectId, long generation, String digest) {

    public static CacheKey of(String projectId, long generation, String method, String pathAndQuery,
                              Map<String, String> varyHeaders, byte[] body) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        update(sha, method);
        update(sha, pathAndQuery);
        varyHeaders.forEach((name, value) -> {
            update(sha, name);
            update(sha, value);
        });
        sha.update(body);
        return new CacheKey(projectId, generation, HexFormat.of().formatHex(sha.digest()));
    }

    /** Length-prefixed, so that no two different field lists hash the same bytes. */
    private static void update(MessageDigest sha, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (bytes.length >>> 24));
        sha.update((byte) (bytes.length >>> 16));
        sha.update((byte) (bytes.length >>> 8));
        sha.update((byte) bytes.length);
        sha.update(bytes);
    }

    /** Roughly what the key costs in memory, for the byte bound. */
    int weight() {
        return 64 + projectId.length() + digest.length();
    }
}
