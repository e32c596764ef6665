package dev.llmproxy.proxy;

import java.util.concurrent.TimeUnit;

/**
 * Times an exchange by phase: until the provider's first byte ({@code response-timeout-ms}, per attempt), then the
 * silence between chunks ({@code idle-timeout-ms}); while the caller's connection is full, how long the caller leaves
 * the answer unread ({@code caller-write-timeout-ms}). A live stream has no total limit. It fires at most once per
 * period; activity in between only moves a timestamp, so chunks cost no rescheduling.
 */
final class PhaseWatchdog implements StreamRelay.Pace {
    /** What the provider failed to do in time, as the caller's error says it. */
    enum Phase {
        FIRST_BYTE("answer"), NEXT_CHUNK("send the next chunk"), CALLER("read the answer");

        final String what;

        Phase(String what) {
            this.what = what;
        }
    }

    /** Told once when a phase ran out. */
    interface Expiry {
        void expired(Phase phase, long limitMs);
    }

    private final Scheduling scheduling;
    private final long firstByteMs;
    private final long idleMs;
    private final long callerMs;
    private final Expiry expiry;
    private volatile Phase phase = Phase.FIRST_BYTE;
    private volatile long lastActivity;
    private volatile Scheduling.Task task;
    private volatile boolean stopped;

    PhaseWatchdog(Scheduling scheduling, long firstByteMs, long idleMs, long callerMs, Expiry expiry) {
        this.scheduling = scheduling;
        this.firstByteMs = firstByteMs;
        this.idleMs = idleMs;
        this.callerMs = callerMs;
        this.expiry = expiry;
        this.lastActivity = scheduling.nanoTime();
    }

    /** An attempt was sent: its wait for the first byte starts now. */
    void awaitFirstByte() {
        phase = Phase.FIRST_BYTE;
        lastActivity = scheduling.nanoTime();
        cancel();
        schedule(firstByteMs);
    }

    /** The provider's answer began: from now on, only silence between chunks counts. */
    void firstByteArrived() {
        lastActivity = scheduling.nanoTime();
        phase = Phase.NEXT_CHUNK;
        cancel(); // the pending check was timed for the first byte, which may be far later than the idle limit
        schedule(idleMs);
    }

    @Override
    public void activity() {
        lastActivity = scheduling.nanoTime();
    }

    /** The caller's connection is full: from now on, how long it takes to read counts. */
    @Override
    public void callerFull() {
        lastActivity = scheduling.nanoTime();
        phase = Phase.CALLER;
        cancel();
        schedule(callerMs);
    }

    /** The caller read: back to timing the provider. */
    @Override
    public void callerTook() {
        lastActivity = scheduling.nanoTime();
        if (phase == Phase.CALLER) {
            phase = Phase.NEXT_CHUNK;
            cancel();
            schedule(idleMs);
        }
    }

    void stop() {
        stopped = true;
        cancel();
    }

    private void cancel() {
        Scheduling.Task current = task;
        if (current != null) {
            current.cancel();
        }
    }

    private void schedule(long delayMs) {
        if (!stopped) {
            task = scheduling.schedule(this::check, delayMs);
        }
    }

    private void check() {
        if (stopped) {
            return;
        }
        Phase now = phase;
        long limit = switch (now) {
            case FIRST_BYTE -> firstByteMs;
            case NEXT_CHUNK -> idleMs;
            case CALLER -> callerMs;
        };
        long silentMs = TimeUnit.NANOSECONDS.toMillis(scheduling.nanoTime() - lastActivity);
        if (silentMs >= limit) {
            expiry.expired(now, limit); // not rescheduled: a retry's awaitFirstByte starts a new period
        } else {
            schedule(limit - silentMs);
        }
    }
}
