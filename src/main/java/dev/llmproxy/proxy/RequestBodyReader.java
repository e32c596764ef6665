package dev.llmproxy.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Reads the caller's request body without blocking a container thread, up to a limit: past it the exchange is
 * refused with 413 at once and the rest is never read (the container discards or closes it).
 */
final class RequestBodyReader implements ReadListener {
    private final ServletInputStream in;
    private final long limit;
    private final ProxyExchange exchange;
    private final ByteArrayOutputStream body;
    private final byte[] buffer = new byte[16 * 1024];
    private boolean refused;

    RequestBodyReader(ServletInputStream in, long declaredLength, long limit, ProxyExchange exchange) {
        this.in = in;
        this.limit = limit;
        this.exchange = exchange;
        this.body = new ByteArrayOutputStream((int) Math.min(Math.max(declaredLength, 8 * 1024), limit));
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
        while (!refused && in.isReady() && !in.isFinished()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            if (body.size() + (long) n > limit) {
                refused = true;
                exchange.refuse(ProxyRefusal.tooLarge(limit));
                return;
            }
            body.write(buffer, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!refused) {
            exchange.start(body.toByteArray());
        }
    }

    @Override
    public void onError(Throwable error) {
        exchange.clientGone(error);
    }
}
