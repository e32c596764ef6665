package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.InvalidFieldException;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
    @Test
    void periodsAreUtcDaysAndMonths() {
        Instant lateEvening = Instant.parse("2026-11-30T23:59:59Z");
        assertEquals("total", BudgetPeriod.TOTAL.keyAt(lateEvening));
        assertEquals("2026-11-30", BudgetPeriod.DAILY.keyAt(lateEvening));
        assertEquals("2026-11", BudgetPeriod.MONTHLY.keyAt(lateEvening));
        assertEquals("2026-12", BudgetPeriod.MONTHLY.keyAt(lateEvening.plusSeconds(1)));
    }

    @Test
    void budgetsAreMicroUsdWithAKnownPeriod() {
        assertEquals(250_000_000L, Budget.fromUsd(new BigDecimal("250"), "monthly").limitMicros());
        assertEquals(BudgetPeriod.TOTAL, Budget.fromUsd(new BigDecimal("0.000001"), null).period());
        assertEquals("budget_period", assertThrows(InvalidFieldException.class,
                () -> Budget.fromUsd(BigDecimal.ONE, "weekly")).field());
        assertEquals("budget_usd", assertThrows(InvalidFieldException.class,
                () -> Budget.fromUsd(new BigDecimal("0.0000001"), "total")).field());
        assertEquals("budget_usd", assertThrows(InvalidFieldException.class,
                () -> Budget.fromUsd(new BigDecimal("-1"), "total")).field());
    }
}
