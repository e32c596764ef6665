package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramerTest {
    private static String feed(SseFramer framer, String text) {
        return new String(framer.feed(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void completeEventsPassAtOnceAndPartialOnesWait() {
        SseFramer framer = new SseFramer((event, data) -> data);
        assertEquals("data: a\n\n", feed(framer, "data: a\n\nda"));
        assertEquals("", feed(framer, "ta: b"));
        assertEquals("data: b\n\n", feed(framer, "\n\n"));
    }

    @Test
    void eventsCanBeChangedOrDroppedAndNamesKept() {
        SseFramer framer = new SseFramer((event, data) -> data.equals("drop") ? null : data.toUpperCase());
        String out = feed(framer, "event: delta\ndata: x\n\ndata: drop\n\n: comment\n\ndata: keep\r\n\r\n");
        assertEquals("event: delta\ndata: X\n\n: comment\n\ndata: KEEP\n\n", out);
    }

    @Test
    void whatRemainsAtTheEndIsPassedOnUnchanged() {
        SseFramer framer = new SseFramer((event, data) -> data);
        feed(framer, "data: unterminated");
        assertEquals("data: unterminated", new String(framer.finish(), StandardCharsets.UTF_8));
    }

    @Test
    void everyLineEndingTheSpecAllowsEndsAnEvent() {
        for (String eol : new String[] {"\n", "\r\n", "\r"}) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            SseFramer framer = new SseFramer((event, data) -> {
                seen.add(event + "=" + data);
                return data;
            });
            String stream = "event: a" + eol + "data: one" + eol + "data: two" + eol + eol + "data: three" + eol + eol;
            StringBuilder out = new StringBuilder();
            for (char c : stream.toCharArray()) { // one byte at a time: every split point
                out.append(feed(framer, String.valueOf(c)));
            }
            out.append(new String(framer.finish(), StandardCharsets.UTF_8));
            assertEquals(java.util.List.of("a=one\ntwo", "null=three"), seen, "line ending " + eol.replace("\r", "CR")
                    .replace("\n", "LF"));
            assertEquals(stream, out.toString(), "passed on byte for byte");
        }
    }

    @Test
    void anEventPastTheBoundIsPassedOnUnparsedAndSaysSo() {
        java.util.concurrent.atomic.AtomicInteger unparsed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<String> seen = new java.util.ArrayList<>();
        SseFramer framer = new SseFramer((event, data) -> {
            seen.add(data);
            return data;
        }, unparsed::incrementAndGet);
        assertEquals("data: small\n\n", feed(framer, "data: small\n\n"));
        String huge = "data: " + "x".repeat(SseFramer.MAX_EVENT + 10);
        assertEquals(huge, feed(framer, huge), "not held: passed on as it comes");
        assertEquals(1, unparsed.get());
        assertEquals("\n\ndata: after\n\n", feed(framer, "\n\ndata: after\n\n"));
        assertEquals(java.util.List.of("small"), seen, "nothing after the large event is parsed");
    }

    /** Found by SseFramerFuzzTest: a large event arriving whole was parsed, one arriving in pieces was not. */
    @Test
    void aLargeEventIsNotParsedEvenWhenItArrivesWhole() {
        java.util.concurrent.atomic.AtomicInteger unparsed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<String> seen = new java.util.ArrayList<>();
        SseFramer framer = new SseFramer((event, data) -> {
            seen.add(data);
            return data.toUpperCase();
        }, unparsed::incrementAndGet);
        String huge = "data: " + "x".repeat(SseFramer.MAX_EVENT) + "\n\n";
        String stream = "data: small\n\n" + huge + "data: after\n\n";
        assertEquals("data: SMALL\n\n" + huge + "data: after\n\n", feed(framer, stream));
        assertEquals(java.util.List.of("small"), seen, "the large event and what follows pass unparsed");
        assertEquals(1, unparsed.get());
    }
}
