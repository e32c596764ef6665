package dev.llmproxy.usage;

import dev.llmproxy.InvalidFieldException;
import java.math.BigDecimal;

/** USD amounts as the admin API writes them, and the integer micro-USD (1e-6 USD) the application counts in. */
public final class Usd {
    private Usd() {
    }

    /** A non-negative amount with at most 6 decimals, in micro-USD; otherwise 400 naming {@code field}. */
    public static long toMicros(String field, BigDecimal usd) {
        if (usd.signum() < 0 || usd.scale() > 6 && usd.stripTrailingZeros().scale() > 6) {
            throw new InvalidFieldException(field, "must be a non-negative USD amount with at most 6 decimals");
        }
        try {
            return usd.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) { // found by fuzzing: 1e30 was a 500
            throw new InvalidFieldException(field, "must be a USD amount below " + fromMicros(Long.MAX_VALUE));
        }
    }

    /** Micro-USD as a USD amount without trailing zeros (2.5, not 2.500000). */
    public static BigDecimal fromMicros(long micros) {
        return BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    }
}
