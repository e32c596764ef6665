package dev.llmproxy.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads an AWS event stream ({@code application/vnd.amazon.eventstream}, what Bedrock's ConverseStream and
 * InvokeModelWithResponseStream answer; framing as in
 * https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html and the AWS SDKs' eventstream
 * codecs) as it passes, without holding it back: every byte is passed on the moment it comes, unchanged, and a copy
 * of each message is framed on the side. A message is a 12-byte prelude (total length, headers length, both
 * big-endian unsigned 32-bit, and the prelude's CRC32), its headers (name length, name, value type, value), its
 * payload and the CRC32 of all before it. Each whole message whose checksums hold is handed to {@link Messages} with
 * its string headers. A message longer than {@value #MAX_MESSAGE} bytes is counted past, not held; a prelude or a
 * checksum that does not hold, or headers that overrun their length, stop the framing for good: the rest is passed on
 * unread (the caller's SDK will refuse it) and {@code onUnparsed} is told once. Memory stays within
 * {@value #MAX_MESSAGE} bytes whatever the lengths claim.
 */
final class EventStreamFramer {
    /** Bedrock's messages are small (a delta, the usage); AWS allows up to 16 MiB, which is not held. */
    static final int MAX_MESSAGE = 1 << 20;
    static final int PRELUDE = 12;
    /** Prelude and message CRC: the shortest message has no header and no payload. */
    static final int MIN_MESSAGE = 16;
    /** AWS's own bound on a message's headers (the SDKs' MessageDecoder). */
    static final int MAX_HEADERS = 128 * 1024;

    /** Whole messages, as their headers name them. */
    interface Messages {
        /** @param headers the string headers ({@code :message-type}, {@code :event-type}, {@code :exception-type}) */
        void message(Map<String, String> headers, byte[] payload);
    }

    private final Messages messages;
    private final Runnable onUnparsed;
    private final byte[] prelude = new byte[PRELUDE];
    private int preludeLength;
    /** The message being held (prelude included), or null while skipping one too long to hold. */
    private byte[] message;
    private int messageLength;
    /** The bytes of the current message still to come after its prelude. */
    private long remaining;
    private boolean broken;
    private boolean told;

    EventStreamFramer(Messages messages, Runnable onUnparsed) {
        this.messages = messages;
        this.onUnparsed = onUnparsed;
    }

    /** Frames a copy of {@code chunk}; returns it unchanged, to be passed on at once. */
    byte[] feed(byte[] chunk) {
        int i = 0;
        while (i < chunk.length && !broken) {
            if (preludeLength < PRELUDE) {
                int n = Math.min(PRELUDE - preludeLength, chunk.length - i);
                System.arraycopy(chunk, i, prelude, preludeLength, n);
                preludeLength += n;
                i += n;
                if (preludeLength == PRELUDE) {
                    begin();
                }
            } else {
                int n = (int) Math.min(remaining, chunk.length - i);
                if (message != null) {
                    System.arraycopy(chunk, i, message, messageLength, n);
                    messageLength += n;
                }
                remaining -= n;
                i += n;
            }
            if (!broken && preludeLength == PRELUDE && remaining == 0) {
                end();
            }
        }
        return chunk;
    }

    /** Whether the stream so far ends where a message ends: a message may be added after it. */
    boolean atBoundary() {
        return !broken && preludeLength == 0;
    }

    /** The stream ended: a message cut off is not read (the caller's SDK sees the cut itself). */
    void finish() {
        if (!broken && preludeLength > 0) {
            unparsed();
        }
    }

    private void begin() {
        ByteBuffer b = ByteBuffer.wrap(prelude);
        long total = Integer.toUnsignedLong(b.getInt(0));
        long headers = Integer.toUnsignedLong(b.getInt(4));
        long crc = Integer.toUnsignedLong(b.getInt(8));
        if (crc(prelude, 0, 8) != crc || total < MIN_MESSAGE || headers > MAX_HEADERS
                || headers > total - MIN_MESSAGE) {
            unparsed();
            return;
        }
        remaining = total - PRELUDE;
        if (total <= MAX_MESSAGE) {
            message = new byte[(int) total];
            System.arraycopy(prelude, 0, message, 0, PRELUDE);
            messageLength = PRELUDE;
        } else {
            message = null;
            unparsedOnce();
        }
    }

    private void end() {
        byte[] whole = message;
        preludeLength = 0;
        message = null;
        messageLength = 0;
        if (whole == null) {
            return; // counted past
        }
        long crc = Integer.toUnsignedLong(ByteBuffer.wrap(whole).getInt(whole.length - 4));
        if (crc(whole, 0, whole.length - 4) != crc) {
            unparsed();
            return;
        }
        int headersLength = ByteBuffer.wrap(whole).getInt(4);
        Map<String, String> headers = headers(whole, PRELUDE, PRELUDE + headersLength);
        if (headers == null) {
            unparsed();
            return;
        }
        int payloadStart = PRELUDE + headersLength;
        byte[] payload = java.util.Arrays.copyOfRange(whole, payloadStart, whole.length - 4);
        messages.message(headers, payload);
    }

    /** The string headers of {@code [from, to)}; null when they do not fill it exactly. */
    static Map<String, String> headers(byte[] m, int from, int to) {
        Map<String, String> strings = new HashMap<>();
        int i = from;
        while (i < to) {
            int nameLength = m[i] & 0xff;
            if (nameLength == 0 || i + 1 + nameLength + 1 > to) {
                return null;
            }
            String name = new String(m, i + 1, nameLength, StandardCharsets.UTF_8);
            i += 1 + nameLength;
            int type = m[i++];
            int size = switch (type) {
                case 0, 1 -> 0;
                case 2 -> 1;
                case 3 -> 2;
                case 4 -> 4;
                case 5, 8 -> 8;
                case 9 -> 16;
                case 6, 7 -> i + 2 <= to ? 2 + (((m[i] & 0xff) << 8) | (m[i + 1] & 0xff)) : -1;
                default -> -1;
            };
            if (size < 0 || i + size > to) {
                return null;
            }
            if (type == 7) {
                strings.put(name, new String(m, i + 2, size - 2, StandardCharsets.UTF_8));
            }
            i += size;
        }
        return strings;
    }

    /** Says once that part of the stream was not read (a message too long to hold, then a broken one: once). */
    private void unparsedOnce() {
        if (!told) {
            told = true;
            onUnparsed.run();
        }
    }

    private void unparsed() {
        unparsedOnce();
        broken = true;
        message = null;
    }

    static long crc(byte[] bytes, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, to - from);
        return crc.getValue();
    }
}
