package dev.llmproxy.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The exchanges open now, so that an undeploy or redeploy ends them in order (#14) before the upstream client and the
 * record writer close: it stops admitting calls (503 {@code proxy_shutting_down}); it lets the calls whose answer is
 * not a stream finish, within the drain ({@code shutdown-drain-seconds}); then it tells every stream still open that
 * the proxy is going away with a last error event, and refuses what has no answer yet; whatever has not ended
 * {@link #FAREWELL} later (a caller that reads nothing) is cut. Every one of them is recorded as it ends.
 */
final class OpenExchanges {
    /** How long the streams told to end may take to write their last event before they are cut. */
    static final Duration FAREWELL = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(OpenExchanges.class.getName());

    /** What the shutdown needs of an open exchange. */
    interface Member {
        /** Whether its answer is a stream under way: the drain does not wait for it. */
        boolean streaming();

        /** The proxy is going away: end now, telling the caller where that is still possible. */
        void goingAway();

        /** Still open after {@link #FAREWELL}: end at once. */
        void cut();
    }

    /**
     * What a shutdown found and did, for the log and the tests: the calls open when it began, the answers (not
     * streams) it waited for, the calls still open after the drain that were told to end (and how many of them were
     * streams), and those cut at the end.
     */
    record Drained(int open, int waitedFor, int told, int streamsTold, int cut, long tookMs) {
    }

    private final Set<Member> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** False once the shutdown began: a call not yet admitted is refused. */
    boolean admitting() {
        return !closing;
    }

    void opened(Member exchange) {
        open.add(exchange);
    }

    void closed(Member exchange) {
        open.remove(exchange);
    }

    int size() {
        return open.size();
    }

    /**
     * Ends every open exchange in the order above; returns once none is open, or once they were cut.
     *
     * @param farewell how long the exchanges told to end may take ({@link #FAREWELL})
     */
    Drained shutDown(Duration drain, Duration farewell) throws InterruptedException {
        long started = System.nanoTime();
        closing = true;
        int before = open.size();
        int waitedFor = (int) open.stream().filter(m -> !m.streaming()).count();
        awaitUntil(drain, () -> open.stream().allMatch(Member::streaming));
        List<Member> left = List.copyOf(open);
        int streams = (int) left.stream().filter(Member::streaming).count();
        left.forEach(m -> safely(m, Member::goingAway));
        awaitUntil(farewell, open::isEmpty);
        List<Member> stuck = List.copyOf(open);
        stuck.forEach(m -> safely(m, Member::cut));
        Drained drained = new Drained(before, waitedFor, left.size(), streams, stuck.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        LOG.info(() -> "Shutting down: " + drained.open() + " call(s) were open; waited for " + drained.waitedFor()
                + " answer(s) that are not streams (at most " + drain.toSeconds() + " s), then told the "
                + drained.told() + " still open the proxy is going away (" + drained.streamsTold() + " of them"
                + " streams, which got a last error event), cut " + drained.cut() + "; took " + drained.tookMs() + " ms");
        return drained;
    }

    private static void awaitUntil(Duration limit, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static void safely(Member exchange, java.util.function.Consumer<Member> step) {
        try {
            step.accept(exchange);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ending an open call at shutdown failed; it is cut with the upstream client", e);
        }
    }
}
