package dev.llmproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes one AWS event-stream message with string headers (the framing {@link EventStreamFramer} reads): what the
 * proxy adds at the end of a Bedrock stream it has to end itself, an exception message that the AWS SDKs raise as
 * the typed exception its {@code :exception-type} names.
 */
final class EventStreamMessage {
    private EventStreamMessage() {
    }

    static byte[] encode(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            h.write(n.length);
            h.writeBytes(n);
            h.write(7); // string
            h.write(v.length >> 8);
            h.write(v.length & 0xff);
            h.writeBytes(v);
        });
        byte[] headerBytes = h.toByteArray();
        int total = EventStreamFramer.MIN_MESSAGE + headerBytes.length + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headerBytes.length);
        b.putInt((int) EventStreamFramer.crc(b.array(), 0, 8));
        b.put(headerBytes).put(payload);
        b.putInt((int) EventStreamFramer.crc(b.array(), 0, total - 4));
        return b.array();
    }

    /** An exception message: {@code :message-type exception}, its type, a JSON payload {@code {"message":…}}. */
    static byte[] exception(String type, byte[] json) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put(":message-type", "exception");
        headers.put(":exception-type", type);
        headers.put(":content-type", "application/json");
        return encode(headers, json);
    }
}
