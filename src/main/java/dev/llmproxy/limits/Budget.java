package dev.llmproxy.limits;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.usage.Usd;
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
        return new Budget(Usd.toMicros("budget_usd", usd),
                BudgetPeriod.parse("budget_period", period == null ? "total" : period));
    }

    public BigDecimal usd() {
        return Usd.fromMicros(limitMicros);
    }
}
