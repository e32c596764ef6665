package dev.llmproxy.proxy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one call holds until it ends, handed over once whatever the threads: whether its body came before its
 * deadline, the body bytes counted in {@link InFlight} (as read, and decoded), and the admitted call. The exchange's end takes them
 * all at once; an admission that finishes after that end gives back what it took itself.
 */
final class CallHoldings {
    /** What the end of the call takes over. */
    record Ended(AdmittedCall admitted, long bodyBytes) {}

    private final InFlight inFlight;
    private final AtomicBoolean bodySettled = new AtomicBoolean();
    private boolean ended; // guarded by this
    private long bodyBytes; // guarded by this: given back to InFlight when the call ends
    private AdmittedCall admitted; // guarded by this

    CallHoldings(InFlight inFlight) {
        this.inFlight = inFlight;
    }

    /**
     * The whole body arrived, its {@code bytes} counted in {@link InFlight}: true when it came before its deadline
     * and before the call ended (the call holds them from now on); false otherwise, and the bytes are the caller's
     * to give back.
     */
    boolean bodyArrived(long bytes) {
        if (!bodySettled.compareAndSet(false, true)) {
            return false;
        }
        synchronized (this) {
            if (ended) {
                return false;
            }
            bodyBytes += bytes;
        }
        return true;
    }

    /** The body's deadline passed: true when the body had not arrived first. */
    boolean deadlinePassed() {
        return bodySettled.compareAndSet(false, true);
    }

    /** Takes decoded body bytes from the budget of body bytes in flight; false when it is spent or the call ended. */
    synchronized boolean chargeDecoded(long n) {
        if (ended || !inFlight.takeBodyBytes(n)) {
            return false;
        }
        bodyBytes += n;
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
        Ended e = new Ended(admitted, bodyBytes);
        bodyBytes = 0;
        return e;
    }
}
