package dev.llmproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    private static final byte[] NOTHING = new byte[0];

    private final BinaryOperator<String> onEvent;
    private final Runnable onUnparsed;
    /** The incomplete event held back, from index 0 to {@link #heldLength}. */
    private byte[] held = new byte[256];
    private int heldLength;
    /**
     * Where the search for the held event's end goes on when more bytes come, and whether the line there is empty so
     * far: each byte is looked at once, however finely the provider cuts an event (a byte at a time costs no
     * rescan of what is held).
     */
    private int scanFrom;
    private boolean lineEmpty = true;
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
        hold(chunk);
        ByteArrayOutputStream out = null;
        int start = 0;
        int end;
        // a complete event past the bound is not parsed either, so that what is parsed does not depend on how the
        // stream was cut into chunks (found by fuzzing, docs/fuzzing.md)
        while ((end = eventEnd()) >= 0 && end - start <= MAX_EVENT) {
            out = out == null ? new ByteArrayOutputStream(heldLength) : out;
            emit(held, start, end, out);
            start = end;
            scanFrom = start;
            lineEmpty = true;
        }
        int rest = heldLength - start;
        if (rest > MAX_EVENT) {
            unparsed = true; // too large to hold: pass it and everything after as it comes
            out = out == null ? new ByteArrayOutputStream(rest) : out;
            out.write(held, start, rest);
            held = NOTHING;
            heldLength = 0;
            onUnparsed.run();
        } else if (start > 0) {
            System.arraycopy(held, start, held, 0, rest); // what follows the last whole event: this chunk's bytes
            heldLength = rest;
            scanFrom -= start;
        }
        return out == null ? NOTHING : out.toByteArray();
    }

    /** Whatever is left at the end of the stream, passed on unchanged. */
    byte[] finish() {
        byte[] rest = Arrays.copyOf(held, heldLength);
        heldLength = 0;
        scanFrom = 0;
        lineEmpty = true;
        return rest;
    }

    private void hold(byte[] chunk) {
        if (heldLength + chunk.length > held.length) {
            held = Arrays.copyOf(held, Math.max(heldLength + chunk.length, 2 * held.length));
        }
        System.arraycopy(chunk, 0, held, heldLength, chunk.length);
        heldLength += chunk.length;
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
     * Index just past the empty line that ends the held event that {@link #scanFrom} is in (the search goes on
     * there, with {@link #lineEmpty}), or -1 when the event is not complete yet; then the two say where to go on.
     */
    private int eventEnd() {
        boolean empty = lineEmpty;
        for (int i = scanFrom; i < heldLength; i++) {
            byte c = held[i];
            if (c != CR && c != LF) {
                empty = false;
                continue;
            }
            int next = i + 1;
            if (c == CR) {
                if (next == heldLength) {
                    // a CR ending an empty line ends the event whatever follows; any other may be half a CRLF
                    if (empty) {
                        return next;
                    }
                    scanFrom = i;
                    lineEmpty = false;
                    return -1;
                }
                if (held[next] == LF) {
                    next++;
                }
            }
            if (empty) {
                return next; // an empty line: the event is complete (alone, a stray blank line, passed as it is)
            }
            empty = true;
            i = next - 1;
        }
        scanFrom = heldLength;
        lineEmpty = empty;
        return -1;
    }
}
