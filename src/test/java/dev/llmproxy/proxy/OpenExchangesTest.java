package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The order of a shutdown: no new call, answers finish within the drain, then streams are told, then the rest cut. */
class OpenExchangesTest {
    private final OpenExchanges open = new OpenExchanges();
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** An open exchange that writes down what it was told; ends when told if {@code endsWhenTold}. */
    private final class Member implements OpenExchanges.Member {
        private final String name;
        private final boolean streaming;
        private final boolean endsWhenTold;

        Member(String name, boolean streaming, boolean endsWhenTold) {
            this.name = name;
            this.streaming = streaming;
            this.endsWhenTold = endsWhenTold;
            open.opened(this);
        }

        @Override
        public boolean streaming() {
            return streaming;
        }

        @Override
        public void goingAway() {
            events.add(name + " told");
            if (endsWhenTold) {
                end();
            }
        }

        @Override
        public void cut() {
            events.add(name + " cut");
            end();
        }

        void end() {
            events.add(name + " ended");
            open.closed(this);
        }
    }

    @Test
    void answersThatAreNotStreamsFinishFirstThenTheStreamsAreTold() throws Exception {
        Member answer = new Member("answer", false, true);
        new Member("stream", true, true);
        Thread provider = new Thread(() -> {
            sleep(150);
            answer.end();
        });
        provider.start();
        OpenExchanges.Drained drained = open.shutDown(Duration.ofSeconds(10), Duration.ofSeconds(10));
        provider.join();
        assertEquals(List.of("answer ended", "stream told", "stream ended"), events);
        assertEquals(new OpenExchanges.Drained(2, 1, 1, 1, 0, drained.tookMs()), drained);
        assertTrue(drained.tookMs() < 5_000, "done as soon as the answer was: " + drained.tookMs() + " ms");
        assertEquals(0, open.size());
    }

    @Test
    void noCallIsAdmittedOnceTheShutdownBegan() throws Exception {
        assertTrue(open.admitting());
        open.shutDown(Duration.ZERO, Duration.ZERO);
        assertFalse(open.admitting());
    }

    @Test
    void anAnswerThatOutlivesTheDrainIsToldAtItsEndAndWhatStillHangsOnIsCut() throws Exception {
        new Member("slow answer", false, true);
        new Member("stream to a caller who reads nothing", true, false);
        long started = System.nanoTime();
        OpenExchanges.Drained drained = open.shutDown(Duration.ofMillis(200), Duration.ofMillis(200));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(tookMs >= 400 && tookMs < 5_000, "the drain, then the farewell: " + tookMs + " ms");
        assertTrue(events.indexOf("slow answer told") >= 0, events.toString());
        assertEquals("stream to a caller who reads nothing cut", events.get(events.size() - 2), events.toString());
        assertEquals(1, drained.cut());
        assertEquals(0, open.size());
    }

    @Test
    void aMemberThatFailsToEndDoesNotStopTheOthers() throws Exception {
        open.opened(new OpenExchanges.Member() {
            @Override
            public boolean streaming() {
                return true;
            }

            @Override
            public void goingAway() {
                throw new IllegalStateException("broken");
            }

            @Override
            public void cut() {
                throw new IllegalStateException("broken too");
            }
        });
        new Member("stream", true, true);
        open.shutDown(Duration.ZERO, Duration.ofMillis(50));
        assertTrue(events.contains("stream ended"), events.toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
