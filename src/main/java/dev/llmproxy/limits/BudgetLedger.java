package dev.llmproxy.limits;

import java.sql.SQLException;

/** Spend and reservations per budget and period; {@link SqlBudgetLedger} keeps them in the database. */
public interface BudgetLedger {
    /** Reserves {@code micros} if the period is below {@code limit}; false when the budget is spent. */
    boolean reserve(String scope, String scopeId, String periodKey, long micros, long limit) throws SQLException;

    /** Replaces a reservation by the call's actual cost. */
    void settle(String scope, String scopeId, String periodKey, long reserved, long actual) throws SQLException;
}
