package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SSE framer (docs/fuzzing.md). Whatever the chunking: with a function that changes nothing, the bytes relayed
 * are the bytes fed; no more than {@link SseFramer#MAX_EVENT} bytes are ever held back or parsed as one event, and
 * past that the stream is passed on unparsed, said once; with a function that changes and drops events, a client
 * parsing the output (the WHATWG rules) sees the same events as when the stream arrives in one piece.
 */
class SseFramerFuzzTest {
    @FuzzTest
    void relaysWhatItIsFedWhateverTheChunking(FuzzedDataProvider data) {
        int[] cuts = cuts(data);
        byte[] stream = data.consumeRemainingAsBytes();
        List<byte[]> chunks = chunks(stream, cuts, 1);
        relaysEveryByteAndHoldsAtMostOneEvent(stream, chunks);

        // a function that changes and drops: the events a client sees do not depend on the chunking
        assertEquals(clientEvents(changed(List.of(stream))), clientEvents(changed(chunks)),
                "events seen by the client");
    }

    /** Streams with one line near the event limit, which a fuzzer's short inputs would never reach. */
    @FuzzTest
    void passesLargeEventsUnparsedWhateverTheChunking(FuzzedDataProvider data) {
        int[] cuts = cuts(data);
        int big = data.consumeInt(SseFramer.MAX_EVENT - 32, SseFramer.MAX_EVENT + 32);
        int bigAt = data.consumeInt(0, 4096);
        byte[] stream = withBigLine(data.consumeRemainingAsBytes(), big, bigAt);
        relaysEveryByteAndHoldsAtMostOneEvent(stream, chunks(stream, cuts, 1 << 14));
    }

    private static int[] cuts(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 24)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 1 << 16);
        }
        return cuts;
    }

    /** With a function that changes nothing: every byte relayed in order, no event past the limit held or parsed. */
    private static void relaysEveryByteAndHoldsAtMostOneEvent(byte[] stream, List<byte[]> chunks) {
        int[] unparsedCalls = {0};
        List<String> seen = new ArrayList<>();
        SseFramer same = new SseFramer((event, d) -> {
            seen.add(d);
            return d;
        }, () -> unparsedCalls[0]++);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        long fed = 0;
        for (byte[] chunk : chunks) {
            fed += chunk.length;
            relayed.writeBytes(same.feed(chunk));
            assertTrue(fed - relayed.size() <= SseFramer.MAX_EVENT, "held back " + (fed - relayed.size()) + " bytes");
        }
        relayed.writeBytes(same.finish());
        assertArrayEquals(stream, relayed.toByteArray(), "the bytes relayed are the bytes fed");
        assertTrue(unparsedCalls[0] <= 1, "unparsed said " + unparsedCalls[0] + " times");
        for (String d : seen) {
            assertTrue(d.length() <= SseFramer.MAX_EVENT, "an event of " + d.length() + " chars was parsed");
        }
    }

    private static byte[] withBigLine(byte[] stream, int big, int at) {
        if (big == 0) {
            return stream;
        }
        int cut = Math.min(at, stream.length);
        byte[] line = new byte[big];
        Arrays.fill(line, (byte) 'x');
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, Math.min(6, big));
        ByteArrayOutputStream out = new ByteArrayOutputStream(stream.length + big);
        out.write(stream, 0, cut);
        out.writeBytes(line);
        out.write(stream, cut, stream.length - cut);
        return out.toByteArray();
    }

    /** Cut at the given offsets (scaled, so that a big stream gets big chunks), in order. */
    private static List<byte[]> chunks(byte[] stream, int[] cuts, int scale) {
        long[] at = new long[cuts.length];
        for (int i = 0; i < cuts.length; i++) {
            at[i] = Math.min((long) cuts[i] * scale, stream.length);
        }
        Arrays.sort(at);
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (long to : at) {
            chunks.add(Arrays.copyOfRange(stream, from, (int) to));
            from = (int) to;
        }
        chunks.add(Arrays.copyOfRange(stream, from, stream.length));
        return chunks;
    }

    private static byte[] changed(List<byte[]> chunks) {
        SseFramer framer = new SseFramer((event, d) -> d.startsWith("drop") ? null : d.isEmpty() ? d : d + "!");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            out.writeBytes(framer.feed(chunk));
        }
        out.writeBytes(framer.finish());
        return out.toByteArray();
    }

    /** The (type, data) pairs a browser's EventSource would dispatch (WHATWG HTML 9.2.6, without id and retry). */
    static List<String> clientEvents(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> events = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        String type = "";
        int from = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean end = i == text.length();
            char c = end ? 0 : text.charAt(i);
            if (!end && c != '\r' && c != '\n') {
                continue;
            }
            if (end) {
                break; // an unterminated last line is discarded
            }
            String line = text.substring(from, i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                i++;
            }
            from = i + 1;
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add((type.isEmpty() ? "message" : type) + "=" + data.substring(0, data.length() - 1));
                }
                data.setLength(0);
                type = "";
                continue;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                continue;
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data.append(value).append('\n');
            } else if (field.equals("event")) {
                type = value;
            }
        }
        return events;
    }
}
