package dev.llmproxy.cache;

import java.time.Duration;
import java.time.Instant;

/** A complete 200 answer as the provider sent it, with where it came from and when. */
public record CachedResponse(String contentType, byte[] body, String upstream, Instant storedAt, int ttlSeconds) {

    public long ageSeconds(Instant now) {
        return Math.max(0, Duration.between(storedAt, now).toSeconds());
    }

    public long remainingSeconds(Instant now) {
        return Math.max(0, ttlSeconds - ageSeconds(now));
    }
}
