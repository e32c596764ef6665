package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;

/**
 * Moves the provider's answer to the caller chunk by chunk, without a thread waiting on either side: a chunk is
 * demanded from the provider only once the caller could take the last one (backpressure both ways), and each is
 * flushed as soon as written. Exactly one continuation is pending at any time: a demand on the provider (no chunk
 * yet) or the container's {@link #onWritePossible} (the caller's buffer is full), so the pump never runs on two
 * threads at once.
 */
final class StreamRelay implements WriteListener {

    /** What passes: each chunk as the caller gets it, and what is left when the provider's answer ends. */
    interface Tap {
        byte[] chunk(byte[] chunk);

        byte[] end();

        /**
         * The provider's answer broke off with this error: what tells the caller so at the end of what it got (a
         * final error event on a stream); empty when nothing can.
         */
        byte[] failed(DomainException error);
    }

    /** That the relay moved bytes, or waits for the caller: what the {@link PhaseWatchdog} times. */
    interface Pace {
        /** Bytes moved from the provider to the caller. */
        void activity();

        /** The caller's connection is full: nothing more is read from the provider until it takes the bytes. */
        void callerFull();

        /** The container says the caller took them (onWritePossible after a full connection). */
        void callerTook();
    }

    /** How the relay ends. Called at most once each. */
    interface Events {
        /** The provider's last chunk was written to the caller. */
        void delivered();

        /**
         * The provider's answer broke off: returns the error the caller is told (see {@link Tap#failed}); the
         * relay writes that and ends with {@link #delivered}.
         */
        DomainException upstreamFailedMidway(Throwable failure);

        void callerFailed(Throwable failure);

        /** The relay ended with the last event it was given ({@link #endWith}) instead of the provider's end. */
        void endedEarly();
    }

    private final Content.Source source;
    private final ServletOutputStream out;
    private final Tap tap;
    private final Pace pace;
    private final Events events;
    /** The event to end with instead of the rest of the provider's answer; set once, from any thread. */
    private volatile byte[] lastEvent;
    /** Touched by the pump only, which never runs on two threads at once. */
    private boolean ended;

    StreamRelay(Content.Source source, ServletOutputStream out, Tap tap, Pace pace, Events events) {
        this.source = source;
        this.out = out;
        this.tap = tap;
        this.pace = pace;
        this.events = events;
    }

    /** Starts relaying: the container calls {@link #onWritePossible} once the caller can take bytes. */
    void start() {
        out.setWriteListener(this);
    }

    /**
     * Ends the relay with {@code event} rather than the rest of the provider's answer: the pump writes it after the
     * last whole event it passed (the tap holds back an incomplete one) as soon as the caller can take it, then
     * tells {@link Events#endedEarly}. A pump waiting on the provider runs once the provider's side is cut.
     */
    void endWith(byte[] event) {
        lastEvent = event;
    }

    /** Whether the relay was told to end with a last event. */
    boolean ending() {
        return lastEvent != null;
    }

    @Override
    public void onWritePossible() {
        pace.callerTook();
        pump();
    }

    @Override
    public void onError(Throwable failure) {
        events.callerFailed(failure);
    }

    private void pump() {
        try {
            while (out.isReady() && !ended) {
                if (lastEvent != null) {
                    endEarly();
                    return;
                }
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(this::pump);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (lastEvent != null) { // the provider's side was cut to end the relay
                        endEarly();
                    } else {
                        // isReady() was true and nothing was written since: one write may go
                        out.write(tap.failed(events.upstreamFailedMidway(chunk.getFailure())));
                        events.delivered();
                    }
                    return;
                }
                boolean last = chunk.isLast();
                try {
                    write(chunk.getByteBuffer());
                    if (last) {
                        out.write(tap.end());
                    }
                } finally {
                    chunk.release();
                }
                pace.activity();
                if (last) {
                    events.delivered();
                    return;
                }
                if (out.isReady()) {
                    out.flush();
                }
            }
            if (!ended) {
                pace.callerFull();
            }
        } catch (IOException | RuntimeException e) {
            events.callerFailed(e);
        }
    }

    private void endEarly() throws IOException {
        ended = true;
        out.write(lastEvent);
        if (out.isReady()) {
            out.flush();
        }
        events.endedEarly();
    }

    private void write(ByteBuffer bytes) throws IOException {
        if (bytes.hasRemaining()) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            byte[] passed = tap.chunk(copy);
            if (passed.length > 0) {
                out.write(passed);
            }
        }
    }
}
