package dev.llmproxy.proxy;

import dev.llmproxy.cache.CacheLookup;
import dev.llmproxy.usage.UsageMeter;

/**
 * What the proxy does with the provider's answer on its way: server-sent events are framed and metered event by
 * event (and may be rewritten, see UsageMeter); a JSON body is metered and, when the cache keeps it, captured.
 */
final class ResponseTap implements StreamRelay.Tap {
    private static final byte[] NOTHING = new byte[0];
    private final SseFramer sse;
    private final boolean json;
    private final UsageMeter meter;
    private final CacheLookup cache;

    private ResponseTap(SseFramer sse, boolean json, UsageMeter meter, CacheLookup cache) {
        this.sse = sse;
        this.json = json;
        this.meter = meter;
        this.cache = cache;
    }

    /** For an answer of this content type (lower case, possibly empty). */
    static ResponseTap forContentType(String type, UsageMeter meter, CacheLookup cache) {
        boolean streamed = type.startsWith("text/event-stream");
        return new ResponseTap(streamed ? new SseFramer(meter::sseEvent, meter::streamUnparsed) : null, !streamed && type.contains("json"),
                meter, cache);
    }

    boolean streamed() {
        return sse != null;
    }

    @Override
    public byte[] chunk(byte[] chunk) {
        if (sse != null) {
            return sse.feed(chunk);
        }
        if (json) {
            meter.jsonChunk(chunk);
        }
        cache.onChunk(chunk);
        return chunk;
    }

    /** The provider's answer ended normally: an incomplete last event is passed on, a captured answer kept. */
    @Override
    public byte[] end() {
        cache.onComplete();
        return sse != null ? sse.finish() : NOTHING;
    }
}
