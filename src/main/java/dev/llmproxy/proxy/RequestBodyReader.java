package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the caller's request body without blocking a container thread, into memory that grows only as bytes arrive
 * (never the declared length up front: a caller that declares 32 MiB and sends nothing holds nothing), and only while
 * the proxy's {@link InFlight} budget for bodies allows. Past {@code max-request-body-bytes} the exchange is refused
 * with 413 at once and the rest is never read (the container discards it or closes the connection).
 */
final class RequestBodyReader implements ReadListener {
    /** Who gets the body: whole, refused, or not at all (the caller's connection failed). */
    interface Body {
        /** The whole body; its bytes stay counted in {@link InFlight} until the call gives them back. */
        void bodyRead(byte[] body);

        void bodyRefused(DomainException refusal);

        void bodyFailed(Throwable failure);
    }

    static final int FIRST_CHUNK = 16 * 1024;
    private final ServletInputStream in;
    private final long declared;
    private final long limit;
    private final InFlight inFlight;
    private final Body consumer;
    private byte[] buffer;
    private int size;
    /** Bytes taken from {@link InFlight}: the buffer's capacity while reading. */
    private long held;
    private volatile boolean stopped;

    RequestBodyReader(ServletInputStream in, long declaredLength, long limit, InFlight inFlight, Body consumer) {
        this.in = in;
        this.declared = declaredLength;
        this.limit = limit;
        this.inFlight = inFlight;
        this.consumer = consumer;
    }

    /** Whether the caller sends a body: a positive {@code Content-Length}, or a chunked one of unknown length. */
    static boolean present(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > 0) {
            return true;
        }
        String encoding = request.getHeader("Transfer-Encoding");
        return declared < 0 && encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
        while (!stopped && in.isReady() && !in.isFinished()) {
            if ((buffer == null || size == buffer.length) && !grow()) {
                return;
            }
            int n = in.read(buffer, size, buffer.length - size);
            if (n < 0) {
                return;
            }
            size += n;
            if (size > limit) {
                refuse(ProxyRefusal.tooLarge(limit));
                return;
            }
        }
    }

    /**
     * Doubles the buffer, from {@value #FIRST_CHUNK} bytes up to the declared length (or, without one, up to one
     * byte past the limit, which tells "too large"), taking the new bytes from the body budget first.
     */
    private boolean grow() {
        int current = buffer == null ? 0 : buffer.length;
        long cap = declared > current ? Math.min(declared, limit + 1) : limit + 1;
        int next = (int) Math.min(cap, current == 0 ? FIRST_CHUNK : 2L * current);
        if (!inFlight.takeBodyBytes(next - current)) {
            refuse(ProxyRefusal.bodiesFull());
            return false;
        }
        held += next - current;
        buffer = buffer == null ? new byte[next] : Arrays.copyOf(buffer, next);
        return true;
    }

    @Override
    public synchronized void onAllDataRead() {
        if (stopped) {
            return;
        }
        stopped = true;
        byte[] whole = buffer == null ? new byte[0] : size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        buffer = null; // the container keeps this listener until the exchange ends: a held stream keeps no buffer
        inFlight.giveBodyBytes(held - whole.length); // the rest stays counted until the call ends
        held = 0;
        consumer.bodyRead(whole);
    }

    @Override
    public void onError(Throwable error) {
        stop();
        consumer.bodyFailed(error);
    }

    /** Stops reading (the body took too long): nothing more is read, what was held is given back. */
    synchronized void stop() {
        if (!stopped) {
            stopped = true;
            buffer = null;
            inFlight.giveBodyBytes(held);
            held = 0;
        }
    }

    private void refuse(DomainException refusal) {
        stop();
        consumer.bodyRefused(refusal);
    }
}
