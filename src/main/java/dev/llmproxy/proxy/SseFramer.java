package dev.llmproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Cuts a server-sent-event stream into whole events and lets a function see, change or drop each event's data
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html): lines end with CRLF, LF or CR, and an empty line
 * ends an event. Only the incomplete tail of the last event is held back; every complete event is passed on at once.
 * An event longer than {@value #MAX_EVENT} bytes is neither held nor parsed, whether it arrives whole or in pieces:
 * from then on the stream is passed on unparsed (the caller sees it unchanged) and {@code onUnparsed} is told once,
 * so that the call's usage is marked as estimated.
 */
final class SseFramer {
    static final int MAX_EVENT = 1 << 20;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final BinaryOperator<String> onEvent;
    private final Runnable onUnparsed;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean unparsed;

    /** @param onEvent (event name or null, data) to the data to pass on, or null to drop the event */
    SseFramer(BinaryOperator<String> onEvent, Runnable onUnparsed) {
        this.onEvent = onEvent;
        this.onUnparsed = onUnparsed;
    }

    SseFramer(BinaryOperator<String> onEvent) {
        this(onEvent, () -> { });
    }

    /** Feeds bytes; returns the complete events to pass on now (possibly none). */
    byte[] feed(byte[] chunk) {
        if (unparsed) {
            return chunk;
        }
        pending.write(chunk, 0, chunk.length);
        byte[] all = pending.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(all.length);
        int start = 0;
        int end;
        // a complete event past the bound is not parsed either, so that what is parsed does not depend on how the
        // stream was cut into chunks (found by fuzzing, docs/fuzzing.md)
        while ((end = eventEnd(all, start)) >= 0 && end - start <= MAX_EVENT) {
            emit(all, start, end, out);
            start = end;
        }
        pending.reset();
        if (all.length - start > MAX_EVENT) {
            unparsed = true; // too large to hold: pass it and everything after as it comes
            out.write(all, start, all.length - start);
            onUnparsed.run();
        } else {
            pending.write(all, start, all.length - start);
        }
        return out.toByteArray();
    }

    /** Whatever is left at the end of the stream, passed on unchanged. */
    byte[] finish() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return rest;
    }

    private void emit(byte[] all, int start, int end, ByteArrayOutputStream out) {
        String event = null;
        StringBuilder data = null;
        for (String line : lines(new String(all, start, end - start, StandardCharsets.UTF_8))) {
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

    /** The lines of one event, split at CRLF, LF or CR. */
    private static List<String> lines(String event) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < event.length(); i++) {
            char c = event.charAt(i);
            if (c == '\r' || c == '\n') {
                lines.add(event.substring(from, i));
                if (c == '\r' && i + 1 < event.length() && event.charAt(i + 1) == '\n') {
                    i++;
                }
                from = i + 1;
            }
        }
        if (from < event.length()) {
            lines.add(event.substring(from));
        }
        return lines;
    }

    /**
     * Index just past the empty line that ends the event starting at {@code from}, or -1 when the event is not
     * complete yet.
     */
    private static int eventEnd(byte[] b, int from) {
        boolean lineEmpty = true;
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c != CR && c != LF) {
                lineEmpty = false;
                continue;
            }
            int next = i + 1;
            if (c == CR) {
                if (next == b.length) {
                    // a CR ending an empty line ends the event whatever follows; any other may be half a CRLF
                    return lineEmpty ? next : -1;
                }
                if (b[next] == LF) {
                    next++;
                }
            }
            if (lineEmpty) {
                return next; // an empty line: the event is complete (alone, a stray blank line, passed as it is)
            }
            lineEmpty = true;
            i = next - 1;
        }
        return -1;
    }
}
