package dev.llmproxy.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The budget ledger, in plain SQL that SQLite and PostgreSQL both run. A reservation is one conditional UPDATE that
 * succeeds only while the period's spend plus reservations is below the limit, so concurrent calls (on any number of
 * instances) are admitted one at a time against the same row: a budget is overrun by at most one call's estimate.
 */
public final class SqlBudgetLedger implements BudgetLedger {
    private final DataSource dataSource;

    public SqlBudgetLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean reserve(String scope, String scopeId, String periodKey, long micros, long limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO budget_ledger (scope, scope_id, period_key,"
                    + " spent_micros, reserved_micros) VALUES (?, ?, ?, 0, 0) ON CONFLICT DO NOTHING")) {
                key(s, scope, scopeId, periodKey, 1);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE budget_ledger SET reserved_micros = reserved_micros + ?"
                    + " WHERE scope = ? AND scope_id = ? AND period_key = ? AND spent_micros + reserved_micros < ?")) {
                s.setLong(1, micros);
                key(s, scope, scopeId, periodKey, 2);
                s.setLong(5, limit);
                return s.executeUpdate() == 1;
            }
        }
    }

    @Override
    public void settle(String scope, String scopeId, String periodKey, long reserved, long actual) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE budget_ledger"
                + " SET reserved_micros = reserved_micros - ?, spent_micros = spent_micros + ?"
                + " WHERE scope = ? AND scope_id = ? AND period_key = ?")) {
            s.setLong(1, reserved);
            s.setLong(2, actual);
            key(s, scope, scopeId, periodKey, 3);
            s.executeUpdate();
        }
    }

    private static void key(PreparedStatement s, String scope, String scopeId, String periodKey, int first)
            throws SQLException {
        s.setString(first, scope);
        s.setString(first + 1, scopeId);
        s.setString(first + 2, periodKey);
    }
}
