package dev.llmproxy.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/** A caller's body arriving in pieces the test sends, read without blocking as a container offers it. */
final class FakeInputStream extends ServletInputStream {
    private final Deque<byte[]> pieces = new ArrayDeque<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;
    private ReadListener listener;

    @Override
    public boolean isFinished() {
        return ended && position == current.length && pieces.isEmpty();
    }

    @Override
    public boolean isReady() {
        return position < current.length || !pieces.isEmpty();
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        listener = readListener;
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("the reader reads arrays");
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position == current.length) {
            if (pieces.isEmpty()) {
                return ended ? -1 : 0;
            }
            current = pieces.poll();
            position = 0;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    /** The caller sends bytes; the container tells the listener. */
    void send(byte[] piece) throws IOException {
        pieces.add(piece);
        listener.onDataAvailable();
    }

    /** The caller's body is complete. */
    void end() throws IOException {
        ended = true;
        listener.onDataAvailable();
        if (isFinished()) {
            listener.onAllDataRead();
        }
    }
}
