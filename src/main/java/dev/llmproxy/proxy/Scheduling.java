package dev.llmproxy.proxy;

/** Time for the exchange: a monotonic clock and delayed tasks (retries, the watchdog). Tests drive a fake. */
interface Scheduling {
    /** A task that can be called off before it runs. */
    interface Task {
        void cancel();
    }

    Task schedule(Runnable task, long delayMs);

    default long nanoTime() {
        return System.nanoTime();
    }
}
