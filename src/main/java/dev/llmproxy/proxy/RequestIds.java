package dev.llmproxy.proxy;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: UUID version 7 (RFC 9562), time-ordered so that the unique index on {@code request_records} takes
 * each new id at its end instead of at a random page. The random bits come from {@link ThreadLocalRandom}: an id
 * must be unique, not secret, and {@link UUID#randomUUID()} serialises every call on one SecureRandom lock (seen
 * blocking calls for 10 ms under load in a flight recording).
 */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        return next(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static String next(long epochMillis, Random random) {
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
