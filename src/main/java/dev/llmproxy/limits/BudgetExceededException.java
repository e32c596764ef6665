package dev.llmproxy.limits;

import dev.llmproxy.DomainException;

/** A call would go over a project's or token's budget for the current period. */
public final class BudgetExceededException extends DomainException {
    public BudgetExceededException(String scope, String period) {
        super(Kind.RATE_LIMITED, "budget_exceeded", "The " + scope + "'s " + period + " budget is spent");
    }
}
