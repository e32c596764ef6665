package dev.llmproxy.proxy;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

/** Sends an attempt to a provider without waiting; what happens is told to a {@link Listener}. */
interface UpstreamTransport {

    /** An attempt under way. */
    interface Sending {
        /** Stops the attempt: the connection is closed and {@link Listener#onComplete} reports the failure. */
        void abort(Throwable cause);
    }

    /** The provider's answer as it begins. */
    interface Response {
        int status();

        HttpFields headers();

        /** Drops this answer (its attempt is given up for another). */
        void abort(Throwable cause);
    }

    /** Called on the transport's threads, in this order; {@link #onComplete} exactly once. */
    interface Listener {
        void onHeaders(Response response);

        /** The body, read on demand: the listener reads chunks and asks for more when it can pass them on. */
        void onContent(Content.Source source);

        /**
         * The attempt ended; {@code failure} is null when the answer arrived whole. {@code requestLeft}: some of
         * the request had been written to the connection before it failed (so the provider may have received it whole
         * and processed it); false when the connection was never made or failed before the request's first byte.
         */
        void onComplete(Throwable failure, boolean requestLeft);
    }

    Sending send(OutboundRequest request, Listener listener);
}
