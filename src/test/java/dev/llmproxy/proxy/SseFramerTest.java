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
}
