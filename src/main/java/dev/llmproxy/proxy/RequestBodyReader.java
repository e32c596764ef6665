package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the caller's request body without blocking a container thread, up to a limit: past it the exchange is
 * refused with 413 at once and the rest is never read (the container discards or closes it).
 */
final class RequestBodyReader implements ReadListener {
    /** Who gets the body: whole, refused for its size, or not at all (the caller's connection failed). */
    interface Body {
        void bodyRead(byte[] body);

        void bodyRefused(DomainException refusal);

        void bodyFailed(Throwable failure);
    }

    private static final int FIRST_CHUNK = 8 * 1024;
    private final ServletInputStream in;
    private final long limit;
    private final Body consumer;
    /**
     * The body read so far: exactly the declared length when there is one, else grown as it comes (up to one byte
     * past the limit, to tell "too large"). Released once handed over: the container keeps this listener until
     * the exchange ends, and a held stream should not keep a buffer.
     */
    private byte[] body;
    private int size;
    private boolean refused;

    RequestBodyReader(ServletInputStream in, long declaredLength, long limit, Body consumer) {
        this.in = in;
        this.limit = limit;
        this.consumer = consumer;
        this.body = new byte[(int) Math.min(declaredLength > 0 ? declaredLength : FIRST_CHUNK, limit + 1)];
    }

    /** Whether the caller sends a body: a positive {@code Content-Length}, or a chunked one of unknown length. */
    static boolean present(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > 0) {
            return true;
        }
        String encoding = request.getHeader("Transfer-Encoding");
        return declared < 0 && encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!refused && body != null && in.isReady() && !in.isFinished()) {
            if (size == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(Math.max(2L * size, FIRST_CHUNK), limit + 1));
            }
            int n = in.read(body, size, body.length - size);
            if (n < 0) {
                return;
            }
            size += n;
            if (size > limit) {
                refused = true;
                body = null;
                consumer.bodyRefused(ProxyRefusal.tooLarge(limit));
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (!refused) {
            byte[] whole = size == body.length ? body : Arrays.copyOf(body, size);
            body = null;
            consumer.bodyRead(whole);
        }
    }

    @Override
    public void onError(Throwable error) {
        consumer.bodyFailed(error);
    }
}
