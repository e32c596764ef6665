package dev.llmproxy.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the SSE framer's cost grows when a provider cuts one large event into tiny chunks (bench/sse-framer.sh): an
 * event of N bytes fed a byte at a time, then in 64-byte and 16 KiB chunks, timed over a few rounds. Linear growth
 * means each byte is looked at once; a framer that rescans what it holds grows with N².
 */
public final class SseFramerBench {
    private SseFramerBench() {
    }

    public static void main(String[] args) {
        int[] sizes = {16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024 - 64};
        int[] chunks = {1, 64, 16 * 1024};
        System.out.printf("%-12s %-10s %12s %14s%n", "event bytes", "chunk", "ms (best of 3)", "ns per byte");
        for (int size : sizes) {
            byte[] event = event(size);
            for (int chunk : chunks) {
                long best = Long.MAX_VALUE;
                for (int round = 0; round < 3; round++) {
                    best = Math.min(best, feed(event, chunk));
                }
                System.out.printf("%-12d %-10d %12.1f %14.1f%n", size, chunk, best / 1e6, (double) best / size);
            }
        }
    }

    /** One event of about {@code size} bytes: many data lines (each a line end to look at), then the empty line. */
    private static byte[] event(int size) {
        StringBuilder s = new StringBuilder(size + 64).append("event: delta\n");
        while (s.length() < size - 2) {
            s.append("data: {\"t\":\"abcdefghijklmnopqrstuvwxyz\"}\n");
        }
        return s.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long feed(byte[] event, int chunk) {
        SseFramer framer = new SseFramer((name, data) -> data);
        long relayed = 0;
        long started = System.nanoTime();
        for (int i = 0; i < event.length; i += chunk) {
            relayed += framer.feed(Arrays.copyOfRange(event, i, Math.min(event.length, i + chunk))).length;
        }
        long took = System.nanoTime() - started;
        if (relayed + framer.finish().length != event.length) {
            throw new IllegalStateException("the framer lost bytes: " + relayed + " of " + event.length);
        }
        return took;
    }
}
