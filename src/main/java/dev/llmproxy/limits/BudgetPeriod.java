package dev.llmproxy.limits;

import dev.llmproxy.InvalidFieldException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/** Over what a budget counts: all time, the UTC day, or the UTC month. */
public enum BudgetPeriod {
    TOTAL, DAILY, MONTHLY;

    /** The ledger key of the period containing {@code at}: {@code total}, {@code 2026-11-23} or {@code 2026-11}. */
    public String keyAt(Instant at) {
        var date = at.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (this) {
            case TOTAL -> "total";
            case DAILY -> date.toString();
            case MONTHLY -> date.toString().substring(0, 7);
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BudgetPeriod parse(String field, String value) {
        for (BudgetPeriod p : values()) {
            if (p.id().equals(value)) {
                return p;
            }
        }
        throw new InvalidFieldException(field, "must be total, daily or monthly");
    }
}
