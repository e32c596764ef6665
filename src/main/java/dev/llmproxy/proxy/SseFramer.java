package dev.llmproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BinaryOperator;

/**
 * Cuts a server-sent-event stream into whole events (separated by a blank line, https://html.spec.whatwg.org/multipage/server-sent-events.html)
 * and lets a function see, change or drop each event's data. Only the incomplete tail of the last event is held
 * back; every complete event is passed on at once.
 */
final class SseFramer {
    private final BinaryOperator<String> onEvent;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** @param onEvent (event name or null, data) to the data to pass on, or null to drop the event */
    SseFramer(BinaryOperator<String> onEvent) {
        this.onEvent = onEvent;
    }

    /** Feeds bytes; returns the complete events to pass on now (possibly none). */
    byte[] feed(byte[] chunk) {
        pending.write(chunk, 0, chunk.length);
        byte[] all = pending.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(all.length);
        int start = 0;
        int end;
        while ((end = eventEnd(all, start)) >= 0) {
            emit(all, start, end, out);
            start = end;
        }
        pending.reset();
        pending.write(all, start, all.length - start);
        return out.toByteArray();
    }

    /** Whatever is left at the end of the stream, passed on unchanged. */
    byte[] finish() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return rest;
    }

    private void emit(byte[] all, int start, int end, ByteArrayOutputStream out) {
        String text = new String(all, start, end - start, StandardCharsets.UTF_8);
        String event = null;
        StringBuilder data = null;
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("data:")) {
                String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            }
        }
        if (data == null) {
            out.write(all, start, end - start); // comments, retry: lines
            return;
        }
        String original = data.toString();
        String passed = onEvent.apply(event, original);
        if (passed == null) {
            return;
        }
        if (passed.equals(original)) {
            out.write(all, start, end - start);
        } else {
            String rebuilt = (event == null ? "" : "event: " + event + "\n") + "data: " + passed + "\n\n";
            out.writeBytes(rebuilt.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Index just past the blank line ending the event that starts at {@code from}, or -1. */
    private static int eventEnd(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i + 2;
            }
            if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }
}
