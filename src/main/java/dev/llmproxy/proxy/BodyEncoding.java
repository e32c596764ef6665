package dev.llmproxy.proxy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A request body sent with {@code Content-Encoding} is decoded before the proxy reads it (#13): gzip and deflate
 * are inflated, up to {@code max-request-body-bytes} of decoded bytes (a small body that inflates past it is refused
 * with 413, never held), and the decoded body goes upstream without the header. Any other encoding is refused with
 * 415: the proxy must read the body to apply allowlists and limits, and it would not know what it forwards. The
 * decoded bytes are memory the call holds, so each is charged to {@code max-body-bytes-in-flight} as it is inflated
 * ({@link Charge}): a small compressed body cannot make the proxy hold what the limit is there to prevent.
 */
final class BodyEncoding {
    /** Takes decoded bytes from the budget of body bytes in flight; false when that would pass it. */
    @FunctionalInterface
    interface Charge {
        boolean take(long bytes);
    }

    private BodyEncoding() {
    }

    static byte[] decoded(String contentEncoding, byte[] body, long limit, Charge charge) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return body;
        }
        byte[] current = body;
        // RFC 9110 8.4: codings listed in the order they were applied; undo them last first
        String[] codings = contentEncoding.toLowerCase(Locale.ROOT).split(",");
        for (int i = codings.length - 1; i >= 0; i--) {
            String coding = codings[i].trim();
            current = switch (coding) {
                case "identity", "" -> current;
                case "gzip", "x-gzip" -> inflate(coding, current, limit, true, charge);
                case "deflate" -> inflate(coding, current, limit, false, charge);
                default -> throw ProxyRefusal.unsupportedEncoding(coding);
            };
        }
        return current;
    }

    /** A guess at the decoded size, at most 1 MiB; in long, as four times a body past 512 MiB is no int. */
    static int initialCapacity(int encodedLength) {
        return (int) Math.min(encodedLength * 4L, 1 << 20);
    }

    private static byte[] inflate(String coding, byte[] body, long limit, boolean gzip, Charge charge) {
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(body))
                : new InflaterInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(initialCapacity(body.length));
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > limit) {
                    throw ProxyRefusal.tooLarge(limit);
                }
                if (!charge.take(n)) {
                    throw ProxyRefusal.bodiesFull();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ProxyRefusal.unreadableBody("its " + coding + " encoding is corrupt");
        }
    }
}
