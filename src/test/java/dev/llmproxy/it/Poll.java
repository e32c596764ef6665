package dev.llmproxy.it;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting for something the deployment does in its own time (a record written, a cache let go, a reservation
 * settled): checks every 50 ms until it holds, and fails, naming what it waited for and what it last saw, once the
 * deadline has passed. The tests use this instead of sleeping for a guessed while.
 */
final class Poll {
    private static final Duration INTERVAL = Duration.ofMillis(50);

    /** A condition that may throw; an exception ends the wait at once. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** A value read anew on every round; an exception ends the wait at once. */
    @FunctionalInterface
    interface Probe<T> {
        T read() throws Exception;
    }

    private Poll() {
    }

    /** Waits until {@code check} holds; checked at least once, even with no time left. */
    static void until(Duration timeout, String description, Check check) throws Exception {
        until(timeout, description, check::holds, Boolean::booleanValue);
    }

    /** Reads {@code probe} until {@code accepted} takes its value, and returns that value. */
    static <T> T until(Duration timeout, String description, Probe<T> probe, Predicate<? super T> accepted)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.read();
            if (accepted.test(value)) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(description + ": not within " + timeout.toMillis() + " ms"
                        + (value instanceof Boolean ? "" : "; last seen: " + value));
            }
            Thread.sleep(Math.max(1, Math.min(INTERVAL.toMillis(), left / 1_000_000)));
        }
    }
}
