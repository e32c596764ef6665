package dev.llmproxy.limits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reserves a call's estimated cost against every budget that applies to it (its token's and its project's) before
 * the call, and settles the actual cost after. If one budget refuses, the reservations already made are released.
 * A settlement the ledger could not take (the database was down) is kept and retried by {@link #retryUnsettled}, so
 * a reservation is never counted for good; past {@value #MAX_UNSETTLED} waiting, the oldest are given up (logged).
 */
public final class Budgets {
    static final int MAX_UNSETTLED = 100_000;
    private static final Logger LOG = Logger.getLogger(Budgets.class.getName());
    private final BudgetLedger ledger;
    private final Clock clock;
    private final Queue<Settlement> unsettled = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unsettledCount = new AtomicInteger();

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

    /** Settlements that failed, tried again in order; returns how many still wait. */
    public int retryUnsettled() {
        for (int n = unsettledCount.get(); n > 0; n--) {
            Settlement s = unsettled.poll();
            if (s == null) {
                break;
            }
            unsettledCount.decrementAndGet();
            if (!s.apply(ledger)) {
                keep(s);
                break; // the ledger still fails: the rest waits for the next round
            }
        }
        return unsettledCount.get();
    }

    /** Settlements waiting for the ledger. */
    public int unsettled() {
        return unsettledCount.get();
    }

    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("llmproxy.budget.settlements.waiting", unsettledCount, AtomicInteger::get)
                .description("Budget settlements the database refused, waiting to be retried").register(registry);
    }

    private void keep(Settlement s) {
        unsettled.add(s);
        if (unsettledCount.incrementAndGet() <= MAX_UNSETTLED) {
            return;
        }
        Settlement dropped = unsettled.poll();
        if (dropped != null) {
            unsettledCount.decrementAndGet();
            LOG.severe(() -> "Gave up settling " + dropped + ": more than " + MAX_UNSETTLED + " wait; its"
                    + " reservation stays counted until the period ends");
        }
    }

    private record Held(String scope, String scopeId, String period, long reserved) {}

    /** One budget's settlement: its reservation replaced by the actual cost. */
    private record Settlement(Held held, long actualMicros) {
        boolean apply(BudgetLedger ledger) {
            try {
                ledger.settle(held.scope(), held.scopeId(), held.period(), held.reserved(), actualMicros);
                return true;
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Could not settle " + this + "; kept to retry", e);
                return false;
            }
        }

        @Override
        public String toString() {
            return actualMicros + " micro-USD on the " + held.scope() + " budget of " + held.scopeId() + " ("
                    + held.period() + ", " + held.reserved() + " reserved)";
        }
    }

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
                Settlement settlement = new Settlement(h, actualMicros);
                if (!settlement.apply(ledger)) {
                    keep(settlement);
                }
            }
        }

        /** Settles on the next {@link #retryUnsettled} round instead of now (no thread to wait on the ledger). */
        public void settleLater(long actualMicros) {
            if (settled.compareAndSet(false, true)) {
                held.forEach(h -> keep(new Settlement(h, actualMicros)));
            }
        }
    }
}
