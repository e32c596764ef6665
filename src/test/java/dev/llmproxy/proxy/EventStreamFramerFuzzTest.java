package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS event-stream framer (docs/fuzzing.md), on any bytes cut anywhere: every byte fed is passed on at once,
 * unchanged; no message longer than {@link EventStreamFramer#MAX_MESSAGE} is ever handed on; "unparsed" is said at
 * most once; the messages read do not depend on the chunking. It never throws, loops or holds more than one message.
 */
class EventStreamFramerFuzzTest {
    @FuzzTest
    void relaysEveryByteAtOnceAndReadsTheSameWhateverTheChunking(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 24)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(1, 1 << 12);
        }
        boolean seeded = data.consumeBoolean();
        byte[] tail = data.consumeRemainingAsBytes();
        byte[] stream = tail;
        if (seeded) { // real messages first, so that the fuzzer's bytes also land after a boundary
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            s.writeBytes(EventStreamFramerTest.sdkMessage("metadata", "{\"usage\":{\"inputTokens\":1}}"));
            s.writeBytes(tail);
            stream = s.toByteArray();
        }
        List<String> whole = read(stream, new int[0]);
        List<String> cut = read(stream, cuts);
        assertTrue(whole.equals(cut), "the messages read depend on the chunking: " + whole + " vs " + cut);
    }

    private static List<String> read(byte[] stream, int[] cuts) {
        List<String> seen = new ArrayList<>();
        int[] unparsed = {0};
        EventStreamFramer framer = new EventStreamFramer((headers, payload) -> {
            assertTrue(payload.length <= EventStreamFramer.MAX_MESSAGE);
            seen.add(headers + ":" + java.util.Arrays.hashCode(payload));
        }, () -> unparsed[0]++);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        int at = 0;
        int c = 0;
        while (at < stream.length) {
            int size = cuts.length == 0 ? stream.length : cuts[c++ % cuts.length];
            byte[] chunk = java.util.Arrays.copyOfRange(stream, at, Math.min(stream.length, at + size));
            byte[] passed = framer.feed(chunk);
            assertArrayEquals(chunk, passed, "passed on at once, unchanged");
            relayed.writeBytes(passed);
            at += chunk.length;
        }
        framer.finish();
        assertArrayEquals(stream, relayed.toByteArray());
        assertTrue(unparsed[0] <= 1, "unparsed said " + unparsed[0] + " times");
        seen.add("unparsed=" + unparsed[0]);
        return seen;
    }
}
