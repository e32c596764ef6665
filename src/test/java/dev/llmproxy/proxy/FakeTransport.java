package dev.llmproxy.proxy;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;

/** Records what the exchange sends; the test plays the provider through each {@link Sent}. */
class FakeTransport implements UpstreamTransport {
    final List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One attempt as sent, and the provider's side of it. */
    static final class Sent implements Sending {
        final OutboundRequest request;
        final Listener listener;
        Throwable aborted;
        final FakeSource body = new FakeSource();

        Sent(OutboundRequest request, Listener listener) {
            this.request = request;
            this.listener = listener;
        }

        @Override
        public void abort(Throwable cause) {
            if (aborted == null) {
                aborted = cause;
            }
        }

        /** The provider answers with a status and headers, then its body is on demand. */
        Sent answer(int status, String... headerPairs) {
            HttpFields.Mutable fields = HttpFields.build();
            for (int i = 0; i < headerPairs.length; i += 2) {
                fields.add(headerPairs[i], headerPairs[i + 1]);
            }
            listener.onHeaders(new Response() {
                @Override
                public int status() {
                    return status;
                }

                @Override
                public HttpFields headers() {
                    return fields;
                }

                @Override
                public void abort(Throwable cause) {
                    Sent.this.abort(cause);
                }
            });
            if (aborted == null) {
                listener.onContent(body);
            }
            return this;
        }

        /** The transport ends the attempt: whole ({@code null}) or failed once the request was sent. */
        void complete(Throwable failure) {
            listener.onComplete(failure, true);
        }

        /** The attempt failed before its request was sent whole (no connection, or it broke while sending). */
        void failUnsent(Throwable failure) {
            listener.onComplete(failure, false);
        }

        /** The transport reports its abort as the attempt's failure, as Jetty does (the request had been sent). */
        void completeAborted() {
            listener.onComplete(aborted, true);
        }
    }

    @Override
    public Sending send(OutboundRequest request, Listener listener) {
        Sent s = new Sent(request, listener);
        sent.add(s);
        return s;
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
