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
    private final EventStreamFramer events;
    private final boolean json;
    private final UsageMeter meter;
    private final CacheLookup cache;
    private final String path;
    private final OpenAiErrors errors;

    private ResponseTap(SseFramer sse, EventStreamFramer events, boolean json, UsageMeter meter, CacheLookup cache,
                        String path, OpenAiErrors errors) {
        this.sse = sse;
        this.events = events;
        this.json = json;
        this.meter = meter;
        this.cache = cache;
        this.path = path;
        this.errors = errors;
    }

    /**
     * For an answer of this content type (lower case, possibly empty) to a request on {@code path}, whose API
     * chooses the shape of a final error event (written by {@code errors}, as every error of the proxy path).
     */
    static ResponseTap forContentType(String type, UsageMeter meter, CacheLookup cache, String path,
                                      OpenAiErrors errors) {
        boolean streamed = type.startsWith("text/event-stream");
        boolean eventStream = type.startsWith(EVENT_STREAM);
        EventStreamFramer events = eventStream ? new EventStreamFramer(
                (headers, payload) -> meter.eventStreamMessage(headers.getOrDefault(":event-type", ""), payload),
                meter::streamUnparsed) : null;
        return new ResponseTap(streamed ? new SseFramer(meter::sseEvent, meter::streamUnparsed) : null, events,
                !streamed && !eventStream && type.contains("json"), meter, cache, path, errors);
    }

    /** AWS's binary event stream (Bedrock's ConverseStream and InvokeModelWithResponseStream). */
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    boolean streamed() {
        return sse != null || events != null;
    }

    @Override
    public byte[] chunk(byte[] chunk) {
        if (sse != null) {
            return sse.feed(chunk);
        }
        if (events != null) {
            return events.feed(chunk); // unchanged, at once
        }
        if (json) {
            meter.jsonChunk(chunk);
        }
        cache.onChunk(chunk);
        return chunk;
    }

    /**
     * The provider's stream broke off: a last event says so in the API's own way, which its SDK raises as an error
     * instead of taking the short stream for a whole one: Anthropic's {@code event: error} with its error object
     * (https://docs.anthropic.com/en/api/messages-streaming, "Error events"), OpenAI's {@code data: {"error":…}}
     * (what the OpenAI SDKs raise as an APIError while streaming). An incomplete event held back is dropped. A JSON
     * body gets nothing: it cannot be amended, and its reader fails on the cut anyway.
     */
    @Override
    public byte[] failed(dev.llmproxy.DomainException error) {
        if (events != null) {
            // an AWS exception message, which the SDK raises typed; only between messages (a cut one cannot be
            // completed: the SDK sees the cut itself)
            return events.atBoundary() ? errors.eventStreamException(error) : NOTHING;
        }
        if (sse == null) {
            return NOTHING;
        }
        try {
            return errors.streamEvent(error, path);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("An error event that cannot be written", e);
        }
    }

    /** The provider's answer ended normally: an incomplete last event is passed on, a captured answer kept. */
    @Override
    public byte[] end() {
        cache.onComplete();
        if (events != null) {
            events.finish();
        }
        return sse != null ? sse.finish() : NOTHING;
    }
}
