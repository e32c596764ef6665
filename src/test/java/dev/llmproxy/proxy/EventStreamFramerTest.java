package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * The AWS event-stream framer against the AWS SDK for Java's own codec: messages it encodes are read whole, in any
 * chunking, and passed on unchanged at once; lying lengths, wrong CRCs and cuts stop the framing (said once) without
 * holding or waiting; and the proxy's own exception message is one the SDK decodes.
 */
class EventStreamFramerTest {
    private final List<String> seen = new ArrayList<>();
    private int unparsed;
    private final EventStreamFramer framer = new EventStreamFramer(
            (headers, payload) -> seen.add(headers.get(":event-type") + "=" + new String(payload, StandardCharsets.UTF_8)),
            () -> unparsed++);

    static byte[] sdkMessage(String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        headers.put("count", HeaderValue.fromInteger(7)); // other header types are stepped over
        headers.put("at", HeaderValue.fromTimestamp(java.time.Instant.EPOCH));
        headers.put("id", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
        headers.put("yes", HeaderValue.fromBoolean(true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(out);
        return out.toByteArray();
    }

    private static byte[] stream() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(sdkMessage("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}"));
        s.writeBytes(sdkMessage("metadata", "{\"usage\":{\"inputTokens\":3}}"));
        return s.toByteArray();
    }

    @Test
    void readsTheSdksMessagesInAnyChunkingAndPassesEveryByteOnAtOnce() {
        byte[] stream = stream();
        for (int size : new int[] {1, 2, 11, 12, 13, 64, stream.length}) {
            seen.clear();
            EventStreamFramer f = new EventStreamFramer((h, p) -> seen.add(h.get(":event-type")), () -> unparsed++);
            for (int i = 0; i < stream.length; i += size) {
                byte[] chunk = java.util.Arrays.copyOfRange(stream, i, Math.min(stream.length, i + size));
                assertArrayEquals(chunk, f.feed(chunk), "passed on unchanged, not held");
            }
            assertEquals(List.of("contentBlockDelta", "metadata"), seen, "chunks of " + size);
            assertTrue(f.atBoundary());
        }
        assertEquals(0, unparsed);
    }

    @Test
    void aWrongMessageCrcStopsTheFramingOnce() {
        byte[] stream = stream();
        stream[sdkMessage("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"}}").length - 1] ^= 1;
        framer.feed(stream);
        assertEquals(List.of(), seen, "neither the broken message nor any after it");
        assertEquals(1, unparsed);
        assertFalse(framer.atBoundary(), "nothing may be added after a broken stream");
    }

    @Test
    void aPreludeThatLiesIsNotBelievedNorWaitedFor() {
        ByteBuffer prelude = ByteBuffer.allocate(12).putInt(0x7fffffff).putInt(0x7ffffff0);
        prelude.putInt((int) EventStreamFramer.crc(prelude.array(), 0, 8));
        framer.feed(prelude.array()); // headers longer than AWS allows: refused at once
        assertEquals(1, unparsed);
        byte[] more = new byte[4096];
        assertArrayEquals(more, framer.feed(more), "the rest passed on unread");
        assertEquals(1, unparsed);

        EventStreamFramer crc = new EventStreamFramer((h, p) -> seen.add("x"), () -> unparsed++);
        crc.feed(ByteBuffer.allocate(12).putInt(16).putInt(0).putInt(12345).array()); // prelude CRC wrong
        assertEquals(2, unparsed);
        EventStreamFramer shortOne = new EventStreamFramer((h, p) -> seen.add("x"), () -> unparsed++);
        ByteBuffer tiny = ByteBuffer.allocate(12).putInt(8).putInt(0);
        tiny.putInt((int) EventStreamFramer.crc(tiny.array(), 0, 8));
        shortOne.feed(tiny.array()); // shorter than a prelude and a CRC
        assertEquals(3, unparsed);
        assertEquals(List.of(), seen);
    }

    @Test
    void aHugeMessageIsCountedPastNotHeld() {
        int total = EventStreamFramer.MAX_MESSAGE + 100;
        ByteBuffer prelude = ByteBuffer.allocate(12).putInt(total).putInt(0);
        prelude.putInt((int) EventStreamFramer.crc(prelude.array(), 0, 8));
        framer.feed(prelude.array());
        framer.feed(new byte[total - 12]);
        assertEquals(1, unparsed, "its usage cannot be read: said once");
        framer.feed(sdkMessage("metadata", "{}"));
        assertEquals(List.of("metadata={}"), seen, "framing goes on after it");
        assertTrue(framer.atBoundary());
    }

    @Test
    void aStreamCutMidMessageIsNotReadAndNotCompleted() {
        byte[] message = sdkMessage("metadata", "{\"usage\":{}}");
        framer.feed(java.util.Arrays.copyOf(message, message.length - 3));
        assertFalse(framer.atBoundary(), "a message added now would be read as the cut one's rest");
        framer.finish();
        assertEquals(1, unparsed);
        assertEquals(List.of(), seen);
    }

    @Test
    void headersThatOverrunTheirLengthAreRefused() {
        byte[] headers = {5, 'a', 'b'}; // a name longer than what is left
        assertEquals(null, EventStreamFramer.headers(headers, 0, headers.length));
        byte[] unknownType = {1, 'a', 42};
        assertEquals(null, EventStreamFramer.headers(unknownType, 0, unknownType.length));
        byte[] stringTooLong = {1, 'a', 7, 0, 9, 'x'};
        assertEquals(null, EventStreamFramer.headers(stringTooLong, 0, stringTooLong.length));
    }

    @Test
    void theProxysExceptionMessageIsOneTheSdkDecodes() {
        byte[] exception = EventStreamMessage.exception("ModelStreamErrorException",
                "{\"message\":\"broke off\"}".getBytes(StandardCharsets.UTF_8));
        List<Message> decoded = new ArrayList<>();
        new MessageDecoder(decoded::add).feed(exception);
        assertEquals(1, decoded.size());
        assertEquals("exception", decoded.get(0).getHeaders().get(":message-type").getString());
        assertEquals("ModelStreamErrorException", decoded.get(0).getHeaders().get(":exception-type").getString());
        assertEquals("{\"message\":\"broke off\"}", new String(decoded.get(0).getPayload(), StandardCharsets.UTF_8));
        framer.feed(exception);
        assertEquals(List.of("null={\"message\":\"broke off\"}"), seen, "and the framer reads it back");
    }
}
