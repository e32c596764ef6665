package dev.llmproxy.limits;

import jakarta.persistence.Embedded;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.Optional;

/**
 * An entity that carries {@link Limits}: projects and tokens. Its rate limits and budget are read and changed here,
 * once for both; the entity stamps its own {@code updated_at} when they change.
 */
@MappedSuperclass
public abstract class Limited {
    @Embedded
    private Limits limits = new Limits();

    /** The entity changed at {@code now}. */
    protected abstract void touched(Instant now);

    /** Requests and tokens per minute, each optional. */
    public RateLimit rateLimit() {
        return limits().rateLimit();
    }

    public void changeRateLimit(RateLimit limit, Instant now) {
        limits().changeRateLimit(limit);
        touched(now);
    }

    /** The spending limit, if any. */
    public Optional<Budget> budget() {
        return limits().budget();
    }

    public void changeBudget(Optional<Budget> budget, Instant now) {
        limits().changeBudget(budget);
        touched(now);
    }

    /** Hibernate loads an embeddable whose columns are all NULL as null: that means no limits. */
    private Limits limits() {
        if (limits == null) {
            limits = new Limits();
        }
        return limits;
    }
}
