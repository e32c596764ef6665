package dev.llmproxy.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A caller's non-blocking output as a container gives it: {@link #isReady} turns false once {@code capacity} bytes
 * are written without a {@link #drain}; the container then calls the listener's onWritePossible when the caller
 * took them. {@link #leave} makes the caller go away: writes fail as they do on a closed connection.
 */
final class FakeOutputStream extends ServletOutputStream {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final int capacity;
    private int buffered;
    private boolean ready = true;
    private WriteListener listener;
    private IOException gone;
    int flushes;

    /** @param capacity bytes the container takes before isReady() turns false */
    FakeOutputStream(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        if (listener != null) {
            throw new IllegalStateException("a write listener is already set");
        }
        listener = writeListener;
        if (ready) {
            possible();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (!ready) {
            throw new IllegalStateException("write while not ready: the servlet spec forbids it");
        }
        if (gone != null) {
            throw gone;
        }
        written.write(b, off, len);
        buffered += len;
        if (buffered >= capacity) {
            ready = false;
        }
    }

    @Override
    public void flush() throws IOException {
        if (gone != null) {
            throw gone;
        }
        flushes++;
    }

    /** The caller took what was buffered: writing is possible again, and the container says so. */
    void drain() {
        buffered = 0;
        if (!ready) {
            ready = true;
            possible();
        }
    }

    /** The caller's connection is gone: the next write or flush fails. */
    void leave() {
        gone = new IOException("Broken pipe (the caller went away)");
    }

    boolean hasListener() {
        return listener != null;
    }

    String text() {
        return written.toString(StandardCharsets.UTF_8);
    }

    private void possible() {
        try {
            listener.onWritePossible();
        } catch (IOException e) {
            listener.onError(e);
        }
    }
}
