package dev.llmproxy.routing;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** Reads a provider's {@code Retry-After} (seconds or an HTTP date) and OpenAI's {@code retry-after-ms}. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /** The wait in milliseconds, if the headers give one that makes sense; never negative. */
    public static OptionalLong millis(String retryAfterMs, String retryAfter, Instant now) {
        if (retryAfterMs != null) {
            try {
                return OptionalLong.of(Math.max(0, Math.round(Double.parseDouble(retryAfterMs.trim()))));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return OptionalLong.empty();
        }
        String value = retryAfter.trim();
        try {
            return OptionalLong.of(Math.max(0, Math.round(Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return OptionalLong.of(Math.max(0, at.toEpochMilli() - now.toEpochMilli()));
            } catch (DateTimeParseException notDate) {
                return OptionalLong.empty();
            }
        }
    }
}
