package dev.llmproxy.proxy;

import dev.llmproxy.metrics.CallMetrics;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.RecordSink;
import dev.llmproxy.usage.RequestRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records every call once, priced with the current table, and counts the exchanges still in flight (a gauge and
 * the readiness answer; an undeploy ends them through {@link OpenExchanges}).
 */
public final class CallLog {
    private static final Logger LOG = Logger.getLogger(CallLog.class.getName());
    private final RecordSink recorder;
    private final Supplier<PriceTable> prices;
    private final CallMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();

    public CallLog(RecordSink recorder, Supplier<PriceTable> prices, CallMetrics metrics) {
        this.recorder = recorder;
        this.prices = prices;
        this.metrics = metrics;
    }

    /** The calls in flight, as a gauge. */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("llmproxy.calls.in.flight", inFlight, AtomicInteger::get)
                .description("Proxied calls running now").register(registry);
    }

    /**
     * Holds a place in the record queue for a call about to be admitted, so that its record is never lost nor waited
     * for; false when the queue is full (the database is behind): the call is then refused.
     */
    boolean reserve(CallRecord call) {
        long ticket = recorder.reserve();
        if (ticket == RecordSink.NO_PLACE) {
            return false;
        }
        if (!call.placeHeld(ticket)) {
            recorder.release(ticket); // the call ended and was recorded while it was being admitted
            return false;
        }
        return true;
    }

    /** Records the call, the first time only; returns the record then. Never waits. */
    public Optional<RequestRecord> finish(CallRecord call) {
        var record = call.toRecord(prices.get());
        record.ifPresent(r -> {
            if (call.holdsPlace()) {
                recorder.recordReserved(call.placeTicket(), r);
            } else {
                recorder.recordIfRoom(r);
            }
            try {
                metrics.record(r, call.namedByProject());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not count call " + r.requestId() + " in the metrics", e);
            }
        });
        return record;
    }

    /** Counts the call in the metrics without recording it (see {@link ProxyServices#refuseUnrecorded}). */
    void count(CallRecord call) {
        call.toRecord(prices.get()).ifPresent(r -> {
            try {
                metrics.record(r, call.namedByProject());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not count call " + r.requestId() + " in the metrics", e);
            }
        });
    }

    void entered() {
        inFlight.incrementAndGet();
    }

    void left() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
