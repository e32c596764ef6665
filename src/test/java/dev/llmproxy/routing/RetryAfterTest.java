package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void readsMillisecondsSecondsAndHttpDates() {
        assertEquals(OptionalLong.of(1500), RetryAfter.millis("1500", "9", NOW), "retry-after-ms wins");
        assertEquals(OptionalLong.of(2000), RetryAfter.millis(null, "2", NOW));
        assertEquals(OptionalLong.of(500), RetryAfter.millis(null, "0.5", NOW));
        assertEquals(OptionalLong.of(30_000), RetryAfter.millis(null, "Mon, 23 Nov 2026 10:00:30 GMT", NOW));
    }

    @Test
    void ignoresWhatMakesNoSenseAndNeverGoesNegative() {
        assertEquals(OptionalLong.empty(), RetryAfter.millis(null, null, NOW));
        assertEquals(OptionalLong.empty(), RetryAfter.millis(null, "soon", NOW));
        assertEquals(OptionalLong.of(2000), RetryAfter.millis("later", "2", NOW), "bad ms header: fall back");
        assertEquals(OptionalLong.of(0), RetryAfter.millis(null, "Mon, 23 Nov 2026 09:00:00 GMT", NOW));
        assertEquals(OptionalLong.of(0), RetryAfter.millis("-5", null, NOW));
    }
}
