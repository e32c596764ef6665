package dev.llmproxy.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Failed authentications per client address, on the proxy and the admin API alike: an address past
 * {@code failed-auth-per-minute} is refused at once, before any token is hashed or looked up, until its bucket
 * refills. So guessing tokens costs the guesser time and the proxy no database work. Addresses are forgotten after
 * ten idle minutes, and at most {@value #MAX_ADDRESSES} are tracked (the least recently seen go first).
 */
public final class AuthFailures {
    static final int MAX_ADDRESSES = 100_000;
    private final int perMinute;
    private final Cache<String, Bucket> byAddress = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** @param perMinute failures an address may make a minute; 0 switches the limit off */
    public AuthFailures(int perMinute) {
        this.perMinute = perMinute;
    }

    /** How many seconds the address must wait, when it has used up its failures; empty when it may try. */
    public OptionalLong blockedFor(String address) {
        if (perMinute == 0) {
            return OptionalLong.empty();
        }
        Bucket bucket = byAddress.getIfPresent(address);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return OptionalLong.empty();
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L)));
    }

    /** The address failed to authenticate once more. */
    public void failed(String address) {
        if (perMinute > 0) {
            byAddress.get(address, a -> Bucket.builder().addLimit(Bandwidth.builder().capacity(perMinute)
                    .refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build()).tryConsume(1);
        }
    }
}
