package dev.llmproxy.proxy;

/**
 * The time a caller has to send its whole body ({@code request-body-timeout-ms}): a caller that declares a body and
 * dribbles it, or sends nothing, holds a connection and its bytes only this long.
 */
final class BodyDeadline {
    private volatile Scheduling.Task timer;

    /** Runs {@code expired} after {@code limitMs} unless {@link #cancel} comes first. */
    void start(Scheduling scheduling, long limitMs, Runnable expired) {
        timer = scheduling.schedule(expired, limitMs);
    }

    /** The body arrived, was refused, or the call ended; harmless when never started or already cancelled. */
    void cancel() {
        Scheduling.Task t = timer;
        if (t != null) {
            t.cancel();
        }
    }
}
