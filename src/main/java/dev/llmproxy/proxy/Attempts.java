package dev.llmproxy.proxy;

import dev.llmproxy.routing.RoutePlan;
import java.util.concurrent.CancellationException;
import java.util.logging.Logger;
import org.eclipse.jetty.io.Content;

/**
 * The route plan's attempts of one call, sent one at a time: a retry after its wait, each built by
 * {@link OutboundRequests} and sent by the {@link UpstreamTransport}. Only the current attempt's news reaches the
 * exchange; an attempt given up for a retry may still call back, and is ignored.
 */
final class Attempts {
    private static final Logger LOG = Logger.getLogger(Attempts.class.getName());

    /** What the exchange does with the current attempt's news. */
    interface Outcome {
        /** Whether the call is over (answered, refused, or its caller gone): nothing more is sent. */
        boolean over();

        /** Runs a step so that a fault of the proxy's own still answers the caller. */
        void guarded(String step, Runnable work);

        void answerBegins(RoutePlan.Attempt attempt, UpstreamTransport.Response response);

        void content(Content.Source source);

        /** The provider's answer ended normally. */
        void answerEnded();

        /** The attempt failed; {@code requestLeft}: after some of its request left the proxy. */
        void upstreamFailed(Throwable failure, boolean requestLeft);
    }

    private final ProxyServices services;
    private final CallerRequest request;
    private final PhaseWatchdog watchdog;
    private final String requestId;
    private final Outcome outcome;
    private volatile RoutePlan.Attempt current;
    private volatile UpstreamTransport.Sending sending;

    Attempts(ProxyServices services, CallerRequest request, PhaseWatchdog watchdog, String requestId,
             Outcome outcome) {
        this.services = services;
        this.request = request;
        this.watchdog = watchdog;
        this.requestId = requestId;
        this.outcome = outcome;
    }

    /** The attempt whose news counts, or null before the first. */
    RoutePlan.Attempt current() {
        return current;
    }

    /** Sends an attempt, after its wait if it is a retry; it becomes the current one at once. */
    void send(RoutePlan.Attempt attempt, UpstreamBody body) {
        current = attempt;
        if (attempt.delayMs() > 0) {
            services.scheduling().schedule(() -> outcome.guarded("retry", () -> sendNow(attempt, body)),
                    attempt.delayMs());
        } else {
            sendNow(attempt, body);
        }
    }

    /** Stops the attempt on the wire, if one is. */
    void abort(Throwable cause) {
        UpstreamTransport.Sending s = sending;
        if (s != null) {
            s.abort(cause);
        }
    }

    private void sendNow(RoutePlan.Attempt attempt, UpstreamBody body) {
        if (outcome.over()) {
            attempt.abandoned();
            return;
        }
        OutboundRequest outbound = services.outbound().build(attempt.target(), request, body.bytes());
        LOG.fine(() -> "Exchange " + requestId + " sends attempt " + attempt.number() + " to " + attempt.target());
        attempt.started();
        watchdog.awaitFirstByte();
        UpstreamTransport.Sending s = services.transport().send(outbound, new Listener(attempt));
        sending = s;
        if (outcome.over()) {
            s.abort(new CancellationException("the call ended while its attempt was sent"));
        }
    }

    /** The transport's news of one attempt; ignored once another attempt is the current one. */
    private final class Listener implements UpstreamTransport.Listener {
        private final RoutePlan.Attempt attempt;

        Listener(RoutePlan.Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onHeaders(UpstreamTransport.Response response) {
            if (attempt == current && !outcome.over()) {
                outcome.guarded("headers", () -> outcome.answerBegins(attempt, response));
            }
        }

        @Override
        public void onContent(Content.Source source) {
            if (attempt == current && !outcome.over()) {
                outcome.guarded("relay", () -> outcome.content(source));
            }
        }

        @Override
        public void onComplete(Throwable failure, boolean requestLeft) {
            if (attempt != current) {
                return;
            }
            if (failure != null) {
                outcome.upstreamFailed(failure, requestLeft);
            } else {
                outcome.answerEnded();
            }
        }
    }
}
