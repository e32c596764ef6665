package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final RateLimiter limiter = new RateLimiter(new LocalBucketStore());

    private static RateLimiter.Scoped token(Integer rpm, Integer tpm) {
        return new RateLimiter.Scoped("token", "t1", new RateLimit(rpm, tpm));
    }

    @Test
    void requestsRunOutAndTheRefusalSaysWhenToRetry() {
        var scopes = List.of(token(2, null));
        assertEquals("1", limiter.admit(scopes, 0).headers().get("x-ratelimit-remaining-requests"));
        assertEquals("0", limiter.admit(scopes, 0).headers().get("x-ratelimit-remaining-requests"));
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> limiter.admit(scopes, 0));
        assertEquals("requests_rate_limit_exceeded", refused.code());
        assertTrue(Long.parseLong(refused.headers().get("Retry-After")) >= 1);
    }

    @Test
    void tokensAreCorrectedWithTheRealUsage() {
        var scopes = List.of(token(null, 100));
        RateLimiter.Admission first = limiter.admit(scopes, 10);
        assertEquals("90", first.headers().get("x-ratelimit-remaining-tokens"));
        first.correct(60); // used 60, not 10: 50 more are taken
        assertEquals("30", limiter.admit(scopes, 10).headers().get("x-ratelimit-remaining-tokens"));
    }

    @Test
    void aRefusedCallGivesBackWhatItTook() {
        var scopes = List.of(token(10, null), new RateLimiter.Scoped("project", "p1", new RateLimit(null, 5)));
        limiter.admit(scopes, 1).correct(100); // the project's 5 tokens a minute are overspent
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> limiter.admit(scopes, 3));
        assertEquals("tokens_rate_limit_exceeded", refused.code());
        // 10 requests: one taken by the admitted call, the refused call's given back, one taken now
        assertEquals("8", limiter.admit(List.of(token(10, null)), 0).headers().get("x-ratelimit-remaining-requests"));
    }

    @Test
    void resetDurationsReadLikeOpenAis() {
        assertEquals("500ms", RateLimiter.duration(500_000_000L));
        assertEquals("6s", RateLimiter.duration(5_500_000_000L));
        assertEquals("1m30s", RateLimiter.duration(90_000_000_000L));
    }
}
