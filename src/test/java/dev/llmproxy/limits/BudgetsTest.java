package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetsTest {
    /** A ledger in memory whose settle can be made to fail, as a database that is down. */
    private static final class Ledger implements BudgetLedger {
        final Map<String, long[]> rows = new HashMap<>(); // key -> {spent, reserved}
        int settleFailures;

        @Override
        public boolean reserve(String scope, String scopeId, String periodKey, long micros, long limit) {
            long[] row = rows.computeIfAbsent(scope + ":" + scopeId + ":" + periodKey, k -> new long[2]);
            if (row[0] + row[1] >= limit) {
                return false;
            }
            row[1] += micros;
            return true;
        }

        @Override
        public void settle(String scope, String scopeId, String periodKey, long reserved, long actual)
                throws SQLException {
            if (settleFailures > 0) {
                settleFailures--;
                throw new SQLException("connection refused", "08001");
            }
            long[] row = rows.get(scope + ":" + scopeId + ":" + periodKey);
            row[1] -= reserved;
            row[0] += actual;
        }

        long[] row(String key) {
            return rows.get(key);
        }
    }

    private final Ledger ledger = new Ledger();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final Budgets budgets = new Budgets(ledger, clock);
    private final List<Budgets.Scoped> project = List.of(new Budgets.Scoped("project", "p1",
            new Budget(1_000_000, BudgetPeriod.parse("budget_period", "monthly"))));

    @Test
    void aSettlementTheDatabaseRefusedIsRetriedUntilItIsWritten() {
        Budgets.Reservation reservation = budgets.reserve(project, 300_000);
        ledger.settleFailures = 2;
        reservation.settle(120_000);
        assertEquals(1, budgets.unsettled(), "kept, not counted for good");
        assertEquals(300_000, ledger.row("project:p1:2026-12")[1], "still reserved while the database is down");

        assertEquals(1, budgets.retryUnsettled(), "the database still refuses");
        assertEquals(0, budgets.retryUnsettled());
        assertEquals(0, ledger.row("project:p1:2026-12")[1], "the reservation is released");
        assertEquals(120_000, ledger.row("project:p1:2026-12")[0], "and the actual cost charged");
    }

    @Test
    void aSettlementIsAppliedOnceEvenIfSettledTwice() {
        Budgets.Reservation reservation = budgets.reserve(project, 300_000);
        reservation.settle(100_000);
        reservation.settle(100_000);
        assertEquals(100_000, ledger.row("project:p1:2026-12")[0]);
        assertEquals(0, budgets.retryUnsettled());
    }

    @Test
    void aSpentBudgetRefusesAndReleasesWhatWasReservedOnTheOthers() {
        List<Budgets.Scoped> both = List.of(new Budgets.Scoped("token", "t1",
                new Budget(5_000_000, BudgetPeriod.parse("budget_period", "total"))), project.get(0));
        budgets.reserve(project, 1_000_000).settle(1_000_000); // the project's month is spent
        BudgetExceededException refused = assertThrows(BudgetExceededException.class,
                () -> budgets.reserve(both, 10_000));
        assertEquals("budget_exceeded", refused.code());
        assertEquals(0, ledger.row("token:t1:total")[1], "the token's reservation is given back");
    }
}
