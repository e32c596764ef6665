package dev.llmproxy.cache;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The cache's part in one call: an answer to serve, or a key under which to keep the provider's answer, or
 * nothing; and the {@code Cache-Status} header (RFC 9211) that says which.
 */
public final class CacheLookup {
    public static final String STATUS_HEADER = "Cache-Status";
    private static final String CACHE_NAME = "llm-proxy";

    private final ResponseCache cache;
    private final CachedResponse hit;
    private final CacheKey key;
    private final int ttlSeconds;
    private final String forward;
    private final String bypassDetail;
    private ByteArrayOutputStream captured;
    private String contentType;
    private String upstream;
    private long expectedLength = -1;

    private CacheLookup(ResponseCache cache, CachedResponse hit, CacheKey key, int ttlSeconds, String forward,
                        String bypassDetail) {
        this.cache = cache;
        this.hit = hit;
        this.key = key;
        this.ttlSeconds = ttlSeconds;
        this.forward = forward;
        this.bypassDetail = bypassDetail;
    }

    static CacheLookup bypass(ResponseCache cache, String detail) {
        return new CacheLookup(cache, null, null, 0, null, detail);
    }

    static CacheLookup forward(ResponseCache cache, CacheKey key, int ttlSeconds, String why) {
        return new CacheLookup(cache, null, key, ttlSeconds, why, null);
    }

    static CacheLookup hit(ResponseCache cache, CachedResponse found) {
        return new CacheLookup(cache, found, null, 0, null, null);
    }

    public Optional<CachedResponse> hit() {
        return Optional.ofNullable(hit);
    }

    /** How old the served hit is, for the {@code Age} header; by the clock the cache keeps time with. */
    public long hitAgeSeconds() {
        return hit.ageSeconds(cache.clock().instant());
    }

    /** The header for a served hit, or for a bypass (empty when the cache is not in play at all). */
    public Optional<String> statusHeader() {
        if (hit != null) {
            return Optional.of(CACHE_NAME + "; hit; ttl=" + hit.remainingSeconds(cache.clock().instant()));
        }
        if (key == null) {
            return bypassDetail == null ? Optional.empty()
                    : Optional.of(CACHE_NAME + "; fwd=bypass; detail=" + bypassDetail);
        }
        return Optional.empty();
    }

    /**
     * The provider's answer begins: starts keeping it if it may be stored. Returns the header for a forwarded call.
     *
     * @param contentLength the declared length, or -1
     * @param answeredBy    the upstream that answers, kept with the entry
     */
    public Optional<String> onUpstreamHeaders(int status, String type, long contentLength, boolean streamed,
                                              String answeredBy) {
        if (key == null) {
            return statusHeader();
        }
        StringBuilder header = new StringBuilder(CACHE_NAME).append("; fwd=").append(forward);
        if (status != 200) {
            return Optional.of(header.append("; fwd-status=").append(status).toString());
        }
        boolean json = type != null && type.toLowerCase(Locale.ROOT).contains("json");
        if (streamed || !json || contentLength > cache.maxEntryBytes()) {
            return Optional.of(header.append("; detail=not-storable").toString());
        }
        captured = new ByteArrayOutputStream(contentLength > 0 ? (int) contentLength : 8192);
        contentType = type;
        upstream = answeredBy;
        expectedLength = contentLength;
        if (contentLength >= 0) {
            header.append("; stored");
        }
        return Optional.of(header.toString());
    }

    /**
     * A chunk of the answer, before it goes to the caller. With a declared length the answer is kept as soon as
     * its last byte is here, before the caller has it: a caller that asks again at once finds it.
     */
    public void onChunk(byte[] chunk) {
        if (captured == null) {
            return;
        }
        if (captured.size() + chunk.length > cache.maxEntryBytes()
                || (expectedLength >= 0 && captured.size() + chunk.length > expectedLength)) {
            captured = null; // too large to keep (or longer than declared); passed on all the same
            return;
        }
        captured.write(chunk, 0, chunk.length);
        if (expectedLength >= 0 && captured.size() == expectedLength) {
            onComplete();
        }
    }

    /** The provider's answer arrived whole: keep it. Never called for an answer cut short. */
    public void onComplete() {
        if (captured != null) {
            cache.store(key, new CachedResponse(contentType, captured.toByteArray(), upstream,
                    cache.clock().instant(), ttlSeconds));
            captured = null;
        }
    }
}
