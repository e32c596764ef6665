package dev.llmproxy.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Time that moves only when the test says so; due tasks run on the test's thread. */
final class FakeScheduling implements Scheduling {
    private long nanos = 1_000_000_000L;
    private final List<Scheduled> tasks = new ArrayList<>();

    private final class Scheduled implements Task {
        final long dueNanos;
        final Runnable task;
        boolean cancelled;

        Scheduled(long dueNanos, Runnable task) {
            this.dueNanos = dueNanos;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Task schedule(Runnable task, long delayMs) {
        Scheduled scheduled = new Scheduled(nanos + TimeUnit.MILLISECONDS.toNanos(delayMs), task);
        tasks.add(scheduled);
        return scheduled;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    /** Moves time on by {@code ms}, running each task as its time comes. */
    void advance(long ms) {
        long target = nanos + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            Scheduled next = tasks.stream().filter(t -> !t.cancelled && t.dueNanos <= target)
                    .min(Comparator.comparingLong(t -> t.dueNanos)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            nanos = Math.max(nanos, next.dueNanos);
            next.task.run();
        }
        nanos = target;
    }

    /** Tasks waiting to run (not cancelled). */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
