package dev.llmproxy.limits;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reserves a call's estimated cost against every budget that applies to it (its token's and its project's) before
 * the call, and settles the actual cost after. If one budget refuses, the reservations already made are released.
 */
public final class Budgets {
    private static final Logger LOG = Logger.getLogger(Budgets.class.getName());
    private final BudgetLedger ledger;
    private final Clock clock;

    public Budgets(BudgetLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** A budget and whose it is: scope {@code token} or {@code project}. */
    public record Scoped(String scope, String scopeId, Budget budget) {}

    /** Reserves {@code estimateMicros} on each budget or throws {@link BudgetExceededException}. */
    public Reservation reserve(List<Scoped> budgets, long estimateMicros) {
        List<Held> held = new ArrayList<>();
        for (Scoped b : budgets) {
            String period = b.budget().period().keyAt(clock.instant());
            boolean ok;
            try {
                ok = ledger.reserve(b.scope(), b.scopeId(), period, estimateMicros, b.budget().limitMicros());
            } catch (SQLException e) {
                new Reservation(held).settle(0);
                throw new IllegalStateException("Cannot reserve against the " + b.scope() + " budget of "
                        + b.scopeId() + ": " + e.getMessage(), e);
            }
            if (!ok) {
                new Reservation(held).settle(0);
                throw new BudgetExceededException(b.scope(), b.budget().period().id());
            }
            held.add(new Held(b.scope(), b.scopeId(), period, estimateMicros));
        }
        return new Reservation(held);
    }

    private record Held(String scope, String scopeId, String period, long reserved) {}

    /** What a call holds; settled once, with the actual cost (0 for a call that cost nothing). */
    public final class Reservation {
        private final List<Held> held;
        private final AtomicBoolean settled = new AtomicBoolean();

        private Reservation(List<Held> held) {
            this.held = held;
        }

        public void settle(long actualMicros) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            for (Held h : held) {
                try {
                    ledger.settle(h.scope(), h.scopeId(), h.period(), h.reserved(), actualMicros);
                } catch (SQLException e) {
                    LOG.log(Level.SEVERE, "Could not settle " + actualMicros + " micro-USD on the " + h.scope()
                            + " budget of " + h.scopeId() + " (" + h.period() + "); the reservation stays counted", e);
                }
            }
        }
    }
}
