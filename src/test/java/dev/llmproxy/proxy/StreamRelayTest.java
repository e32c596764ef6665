package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.DomainException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRelayTest {
    private final FakeSource provider = new FakeSource();
    private final List<String> events = new ArrayList<>();
    private final Recorder listener = new Recorder();

    /** Writes down the relay's pace and ends, in order. */
    private final class Recorder implements StreamRelay.Pace, StreamRelay.Events {
        @Override
        public void activity() {
            events.add("activity");
        }

        @Override
        public void callerFull() {
            events.add("caller full");
        }

        @Override
        public void callerTook() {
            events.add("caller took");
        }

        @Override
        public void delivered() {
            events.add("delivered");
        }

        @Override
        public DomainException upstreamFailedMidway(Throwable failure) {
            events.add("upstream failed: " + failure.getMessage());
            return ProxyRefusal.upstreamBrokeOff("openai");
        }

        @Override
        public void callerFailed(Throwable failure) {
            events.add("caller failed: " + failure.getMessage());
        }

        @Override
        public void endedEarly() {
            events.add("ended early");
        }
    }

    private List<String> ends() {
        return events.stream().filter(e -> e.startsWith("delivered") || e.startsWith("upstream")
                || e.startsWith("caller failed") || e.startsWith("ended")).toList();
    }

    /** Passes chunks as they are, and says "end" once the provider's answer ends. */
    private static final StreamRelay.Tap AS_IS = new StreamRelay.Tap() {
        @Override
        public byte[] chunk(byte[] chunk) {
            return chunk;
        }

        @Override
        public byte[] end() {
            return "|end".getBytes();
        }

        @Override
        public byte[] failed(DomainException error) {
            return ("|failed: " + error.code()).getBytes();
        }
    };

    @Test
    void eachChunkIsWrittenAndFlushedAsItArrives() {
        FakeOutputStream caller = new FakeOutputStream(1 << 20);
        new StreamRelay(provider, caller, AS_IS, listener, listener).start();
        assertTrue(provider.demanded(), "nothing there yet: the relay waits on the provider, holding no thread");

        provider.offer("data: one\n\n", false);
        assertEquals("data: one\n\n", caller.text(), "passed on before the next chunk exists");
        assertEquals(1, caller.flushes);
        provider.offer("data: two\n\n", true);
        assertEquals("data: one\n\ndata: two\n\n|end", caller.text());
        assertEquals(List.of("delivered"), events.stream().filter(e -> e.startsWith("delivered") || e.startsWith("upstream") || e.startsWith("caller failed")).toList());
        assertEquals(2, provider.released, "every chunk is released");
    }

    @Test
    void aSlowCallerStopsTheReadsFromTheProvider() {
        FakeOutputStream caller = new FakeOutputStream(5); // full after 5 bytes
        new StreamRelay(provider, caller, AS_IS, listener, listener).start();
        provider.offer("0123456789", false);
        assertFalse(caller.isReady());
        int readsWhileFull = provider.reads;
        provider.offer("more", false);
        assertEquals(readsWhileFull, provider.reads, "backpressure: no read while the caller's buffer is full");
        assertFalse(provider.demanded(), "and no demand either: the container's onWritePossible is the continuation");

        assertTrue(events.contains("caller full"), "the exchange is told, to time the caller");
        caller.drain();
        assertEquals("0123456789more", caller.text(), "the waiting chunk goes once the caller took the first");
        assertTrue(provider.demanded());
        assertTrue(events.contains("caller took"));
    }

    @Test
    void aCallerLeavingMidStreamEndsTheRelayWithoutReadingOn() {
        FakeOutputStream caller = new FakeOutputStream(1 << 20);
        new StreamRelay(provider, caller, AS_IS, listener, listener).start();
        provider.offer("data: one\n\n", false);
        caller.leave();
        provider.offer("data: two\n\n", false);
        assertTrue(events.contains("caller failed: Broken pipe (the caller went away)"), events.toString());
        assertFalse(provider.demanded(), "nothing more is asked of the provider");
        int reads = provider.reads;
        provider.offer("data: three\n\n", false);
        assertEquals(reads, provider.reads);
    }

    @Test
    void aProviderCutMidStreamIsReportedOnce() {
        FakeOutputStream caller = new FakeOutputStream(1 << 20);
        new StreamRelay(provider, caller, AS_IS, listener, listener).start();
        provider.offer("data: one\n\n", false);
        provider.cut(new IOException("reset by peer"));
        assertEquals(List.of("upstream failed: reset by peer", "delivered"),
                events.stream().filter(e -> e.startsWith("delivered") || e.startsWith("upstream") || e.startsWith("caller failed")).toList());
        assertEquals("data: one\n\n|failed: upstream_unavailable", caller.text(),
                "no end marker for an answer cut short, but the tap's notice of the failure");
    }

    @Test
    void aRelayToldToEndWhileTheProviderIsSilentWritesItsLastEventOnceTheProviderIsCut() {
        FakeOutputStream caller = new FakeOutputStream(1 << 20);
        StreamRelay relay = new StreamRelay(provider, caller, AS_IS, listener, listener);
        relay.start();
        provider.offer("data: one\n\n", false);
        relay.endWith("data: bye\n\n".getBytes());
        assertTrue(relay.ending());
        provider.cut(new IOException("aborted: the proxy is shutting down")); // what the exchange does to wake it
        assertEquals("data: one\n\ndata: bye\n\n", caller.text(), "the last event, and not the provider's end");
        assertEquals(List.of("ended early"), ends(), "not reported as the provider's failure");
    }

    @Test
    void aRelayToldToEndWhileTheCallerIsFullWritesItsLastEventWhenTheCallerTakesAndReadsNoMore() {
        FakeOutputStream caller = new FakeOutputStream(5);
        StreamRelay relay = new StreamRelay(provider, caller, AS_IS, listener, listener);
        relay.start();
        provider.offer("0123456789", false);
        provider.offer("data: more\n\n", false);
        relay.endWith("|bye".getBytes());
        int reads = provider.reads;
        caller.drain();
        assertEquals("0123456789|bye", caller.text(), "the waiting chunk is not read: the last event comes next");
        assertEquals(reads, provider.reads);
        assertEquals(List.of("ended early"), ends());
        caller.drain();
        assertEquals(List.of("ended early"), ends(), "once");
    }

    @Test
    void aTapThatDropsEverythingWritesNothingButStillEnds() {
        FakeOutputStream caller = new FakeOutputStream(1 << 20);
        StreamRelay.Tap dropping = new StreamRelay.Tap() {
            @Override
            public byte[] chunk(byte[] chunk) {
                return new byte[0];
            }

            @Override
            public byte[] end() {
                return new byte[0];
            }

            @Override
            public byte[] failed(DomainException error) {
                return new byte[0];
            }
        };
        new StreamRelay(provider, caller, dropping, listener, listener).start();
        provider.offer("data: usage-only\n\n", true);
        assertEquals("", caller.text());
        assertTrue(events.contains("delivered"));
    }
}
