package dev.llmproxy.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jetty.io.Content;

/**
 * A provider's answer as Jetty's client gives it: chunks the test offers, read on demand. A demand made while no
 * chunk is there is kept and run when the next one arrives, as Jetty does.
 */
final class FakeSource implements Content.Source {
    private final Deque<Content.Chunk> chunks = new ArrayDeque<>();
    private Runnable demand;
    int reads;
    int released;
    Throwable failedWith;

    /** The provider sends a chunk; {@code last}: its answer ends with it. */
    void offer(String text, boolean last) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        chunks.add(Content.Chunk.from(bytes, last, () -> released++));
        wake();
    }

    /** The provider's connection fails mid-answer. */
    void cut(Throwable failure) {
        chunks.add(Content.Chunk.from(failure));
        wake();
    }

    boolean demanded() {
        return demand != null;
    }

    @Override
    public Content.Chunk read() {
        reads++;
        return chunks.poll();
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (demand != null) {
            throw new IllegalStateException("a demand is already pending");
        }
        demand = demandCallback;
        if (!chunks.isEmpty()) {
            wake();
        }
    }

    @Override
    public void fail(Throwable failure) {
        failedWith = failure;
    }

    private void wake() {
        Runnable pending = demand;
        if (pending != null) {
            demand = null;
            pending.run();
        }
    }
}
