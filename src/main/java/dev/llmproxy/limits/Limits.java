package dev.llmproxy.limits;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.Optional;

/**
 * The rate limits and budget a project or a token may carry, embedded in both tables under the same column names.
 * Mutable only through its owner, which stamps its own {@code updated_at}.
 */
@Embeddable
public class Limits {
    @Column(name = "rpm_limit")
    private Integer rpmLimit;
    @Column(name = "tpm_limit")
    private Integer tpmLimit;
    @Column(name = "budget_micros")
    private Long budgetMicros;
    @Column(name = "budget_period")
    private String budgetPeriod;

    public RateLimit rateLimit() {
        return new RateLimit(rpmLimit, tpmLimit);
    }

    public void changeRateLimit(RateLimit limit) {
        this.rpmLimit = limit.requestsPerMinute();
        this.tpmLimit = limit.tokensPerMinute();
    }

    public Optional<Budget> budget() {
        return budgetMicros == null ? Optional.empty()
                : Optional.of(new Budget(budgetMicros, BudgetPeriod.parse("budget_period", budgetPeriod)));
    }

    public void changeBudget(Optional<Budget> budget) {
        this.budgetMicros = budget.map(Budget::limitMicros).orElse(null);
        this.budgetPeriod = budget.map(b -> b.period().id()).orElse(null);
    }
}
