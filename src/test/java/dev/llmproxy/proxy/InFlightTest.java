package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightTest {

    @Test
    void bodyBytesStopAtTheLimitAndComeBack() {
        InFlight inFlight = new InFlight(100, 0);
        assertTrue(inFlight.takeBodyBytes(60));
        assertFalse(inFlight.takeBodyBytes(41), "past the limit: nothing taken");
        assertEquals(60, inFlight.bodyBytes());
        assertTrue(inFlight.takeBodyBytes(40));
        inFlight.giveBodyBytes(100);
        assertEquals(0, inFlight.bodyBytes());
    }

    @Test
    void callsPerTokenStopAtTheLimitPerToken() {
        InFlight inFlight = new InFlight(100, 2);
        assertTrue(inFlight.startCall("a"));
        assertTrue(inFlight.startCall("a"));
        assertFalse(inFlight.startCall("a"));
        assertTrue(inFlight.startCall("b"), "another token has its own limit");
        inFlight.endCall("a");
        assertTrue(inFlight.startCall("a"));
        assertEquals(2, inFlight.calls("a"));
    }

    @Test
    void noLimitCountsNothing() {
        InFlight inFlight = new InFlight(100, 0);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(inFlight.startCall("a"));
        }
        assertEquals(0, inFlight.calls("a"));
    }

    /**
     * Calls that end while others start never let more than the limit run, and leave no count behind. Before the
     * count moved into one atomic step per token, a call ending as another started could drop the entry the other
     * counted in; this caught that in about one round in ten (a race: the rounds make it likely, not certain).
     */
    @Test
    void startingAndEndingAtOnceNeverPassesTheLimit() throws Exception {
        int limit = 3;
        for (int round = 0; round < 20; round++) {
            InFlight inFlight = new InFlight(100, limit);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 100_000; i++) {
                        if (inFlight.startCall("token")) {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            running.decrementAndGet();
                            inFlight.endCall("token");
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(most.get() <= limit, "round " + round + ": at most " + limit + " at once, saw " + most.get());
            assertEquals(0, inFlight.calls("token"), "every call that started ended");
        }
    }
}
