package dev.llmproxy.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one call holds until it ends, handed over once whatever the threads: whether its body came before its
 * deadline, the decoded body bytes charged to {@link InFlight}, and the admitted call. The exchange's end takes them
 * all at once; an admission that finishes after that end gives back what it took itself.
 */
final class CallHoldings {
    /** What the end of the call takes over. */
    record Ended(AdmittedCall admitted, long decodedBytes) {}

    private final InFlight inFlight;
    private final AtomicBoolean bodySettled = new AtomicBoolean();
    private boolean ended; // guarded by this
    private long decodedBytes; // guarded by this
    private AdmittedCall admitted; // guarded by this

    CallHoldings(InFlight inFlight) {
        this.inFlight = inFlight;
    }

    /** The body arrived, or its deadline passed: true for whichever comes first, once. */
    boolean settleBody() {
        return bodySettled.compareAndSet(false, true);
    }

    /** Takes decoded body bytes from the budget of body bytes in flight; false when it is spent or the call ended. */
    synchronized boolean chargeDecoded(long n) {
        if (ended || !inFlight.takeBodyBytes(n)) {
            return false;
        }
        decodedBytes += n;
        return true;
    }

    /** Hands the admitted call to the exchange; false when the call ended meanwhile (the admission settles it). */
    synchronized boolean handOver(AdmittedCall call) {
        if (ended) {
            return false;
        }
        admitted = call;
        return true;
    }

    /** The call ends: what it holds, taken once (later charges and hand-overs are refused). */
    synchronized Ended end() {
        ended = true;
        Ended e = new Ended(admitted, decodedBytes);
        decodedBytes = 0;
        return e;
    }
}
