package dev.llmproxy.proxy;

import dev.llmproxy.cache.CacheLookup;
import dev.llmproxy.cache.CachedResponse;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

/** An answer from the response cache: the stored body, written without blocking, recorded as a hit that cost nothing. */
final class CachedAnswer {
    private final CachedResponse hit;
    private final CacheLookup lookup;
    private final Caller caller;
    private final CallRecord call;

    CachedAnswer(Admission.Cached cached, Caller caller, CallRecord call) {
        this.hit = cached.hit();
        this.lookup = cached.lookup();
        this.caller = caller;
        this.call = call;
    }

    void send(Runnable done, Consumer<Throwable> failed) {
        call.cacheHit(hit.upstream());
        call.firstByte(200);
        caller.status(200);
        if (hit.contentType() != null) {
            caller.setHeader("Content-Type", hit.contentType());
        }
        caller.setHeader("Content-Length", String.valueOf(hit.body().length));
        caller.setHeader("Age", String.valueOf(lookup.hitAgeSeconds()));
        lookup.statusHeader().ifPresent(v -> caller.setHeader(CacheLookup.STATUS_HEADER, v));
        caller.setHeader(AnswerHead.UPSTREAM_HEADER, hit.upstream());
        caller.setHeader(AnswerHead.ATTEMPTS_HEADER, "0");
        try {
            ServletOutputStream out = caller.output();
            caller.onContainerThread(() -> { // see ProxyExchange#content
                try {
                    out.setWriteListener(new BodyWriter(out, hit.body(), done, failed));
                } catch (IllegalStateException e) {
                    failed.accept(e);
                }
            });
        } catch (IOException | IllegalStateException e) {
            failed.accept(e);
        }
    }
}
