package dev.llmproxy.limits;

import dev.llmproxy.InvalidFieldException;
import java.math.BigDecimal;

/** A spending limit in micro-USD over a period. */
public record Budget(long limitMicros, BudgetPeriod period) {
    public Budget {
        if (limitMicros < 0) {
            throw new InvalidFieldException("budget_usd", "must not be negative");
        }
    }

    /** From the admin API's fields: both or neither. */
    public static Budget fromUsd(BigDecimal usd, String period) {
        if (usd.scale() > 6 && usd.stripTrailingZeros().scale() > 6) {
            throw new InvalidFieldException("budget_usd", "has at most 6 decimals (micro-USD)");
        }
        return new Budget(usd.movePointRight(6).longValueExact(),
                BudgetPeriod.parse("budget_period", period == null ? "total" : period));
    }

    public BigDecimal usd() {
        return BigDecimal.valueOf(limitMicros, 6).stripTrailingZeros();
    }
}
