package dev.llmproxy.proxy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.function.Consumer;

/** Writes one body the proxy already holds (a cached answer) without blocking a thread on a slow caller. */
final class BodyWriter implements WriteListener {
    private final ServletOutputStream out;
    private final byte[] body;
    private final Runnable done;
    private final Consumer<Throwable> failed;
    private boolean written;

    BodyWriter(ServletOutputStream out, byte[] body, Runnable done, Consumer<Throwable> failed) {
        this.out = out;
        this.body = body;
        this.done = done;
        this.failed = failed;
    }

    /** The container calls this when writing is possible: once to write, and again once the write is through. */
    @Override
    public void onWritePossible() throws IOException {
        if (!written) {
            written = true;
            out.write(body);
        }
        if (out.isReady()) {
            done.run();
        }
    }

    @Override
    public void onError(Throwable t) {
        failed.accept(t);
    }
}
