package dev.llmproxy.proxy;

import dev.llmproxy.routing.RoutePlan;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** The one sending whose news counts: an answer dropped to send the attempt again (401) is ignored after. */
    private volatile Listener live;
    /** The current attempt while it waits for its access token; null otherwise. */
    private volatile TokenWait waiting;

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
            services.scheduling().schedule(() -> outcome.guarded("retry", () -> sendNow(attempt, body, false)),
                    attempt.delayMs());
        } else {
            sendNow(attempt, body, false);
        }
    }

    /** Stops the attempt on the wire, or waiting for its access token, if one is. */
    void abort(Throwable cause) {
        TokenWait w = waiting;
        if (w != null) {
            w.settle(null, cause);
        }
        UpstreamTransport.Sending s = sending;
        if (s != null) {
            s.abort(cause);
        }
    }

    /**
     * Sends the attempt once its credentials are at hand: at once for a key, and for an access token that is cached
     * (the usual case); otherwise when the token endpoint answered, on its thread, so that no thread of the proxy
     * path waits for it. {@code renewed}: sent again with a new token after the provider refused the last one.
     */
    private void sendNow(RoutePlan.Attempt attempt, UpstreamBody body, boolean renewed) {
        if (outcome.over()) {
            attempt.abandoned();
            return;
        }
        var token = services.outbound().credentials().accessToken(attempt.target());
        if (token.isDone() && !token.isCompletedExceptionally()) {
            transmit(attempt, body, token.join(), renewed);
            return;
        }
        TokenWait wait = new TokenWait(attempt, body, renewed);
        waiting = wait;
        token.whenComplete(wait::settle);
        if (outcome.over()) {
            wait.settle(null, new CancellationException("the call ended while its attempt waited for a token"));
        }
    }

    private void transmit(RoutePlan.Attempt attempt, UpstreamBody body, Optional<String> token, boolean renewed) {
        OutboundRequest outbound;
        try {
            outbound = services.outbound().build(attempt.target(), request, body.bytes(), token);
        } catch (dev.llmproxy.provider.CredentialsUnavailableException e) {
            outcome.upstreamFailed(e, false); // nothing left the proxy: another upstream may still serve the call
            return;
        }
        LOG.fine(() -> "Exchange " + requestId + " sends attempt " + attempt.number() + " to " + attempt.target());
        attempt.started();
        watchdog.awaitFirstByte();
        Listener listener = new Listener(attempt, body, token, renewed);
        live = listener;
        UpstreamTransport.Sending s = services.transport().send(outbound, listener);
        sending = s;
        if (outcome.over()) {
            s.abort(new CancellationException("the call ended while its attempt was sent"));
        }
    }

    /** An attempt waiting for its access token; settled once, by the token or by an abort, whichever comes first. */
    private final class TokenWait {
        private final RoutePlan.Attempt attempt;
        private final UpstreamBody body;
        private final boolean renewed;
        private final AtomicBoolean settled = new AtomicBoolean();

        TokenWait(RoutePlan.Attempt attempt, UpstreamBody body, boolean renewed) {
            this.attempt = attempt;
            this.body = body;
            this.renewed = renewed;
        }

        void settle(Optional<String> token, Throwable failure) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            waiting = null;
            if (attempt != current) {
                return; // given up meanwhile
            }
            outcome.guarded("credentials", () -> {
                if (failure != null) {
                    // nothing left the proxy: another upstream may still serve the call
                    outcome.upstreamFailed(failure instanceof CompletionException c && c.getCause() != null
                            ? c.getCause() : failure, false);
                } else if (outcome.over()) {
                    attempt.abandoned();
                } else {
                    transmit(attempt, body, token, renewed);
                }
            });
        }
    }

    /** The transport's news of one sending; ignored once another attempt (or sending) is the current one. */
    private final class Listener implements UpstreamTransport.Listener {
        private final RoutePlan.Attempt attempt;
        private final UpstreamBody body;
        private final Optional<String> token;
        private final boolean renewed;

        Listener(RoutePlan.Attempt attempt, UpstreamBody body, Optional<String> token, boolean renewed) {
            this.attempt = attempt;
            this.body = body;
            this.token = token;
            this.renewed = renewed;
        }

        private boolean counts() {
            return attempt == current && this == live;
        }

        @Override
        public void onHeaders(UpstreamTransport.Response response) {
            if (!counts() || outcome.over()) {
                return;
            }
            if (response.status() == 401 && token.isPresent() && !renewed) {
                // The token was revoked or its roles changed before it expired: once with a new one (Azure did not
                // process a request it refused)
                LOG.fine(() -> "Exchange " + requestId + ": " + attempt.target() + " refused its access token;"
                        + " sending again with a new one");
                live = null;
                services.outbound().credentials().refused(attempt.target(), token.get());
                response.abort(new CancellationException("the access token was refused; sent again with a new one"));
                outcome.guarded("credentials", () -> sendNow(attempt, body, true));
                return;
            }
            outcome.guarded("headers", () -> outcome.answerBegins(attempt, response));
        }

        @Override
        public void onContent(Content.Source source) {
            if (counts() && !outcome.over()) {
                outcome.guarded("relay", () -> outcome.content(source));
            }
        }

        @Override
        public void onComplete(Throwable failure, boolean requestLeft) {
            if (!counts()) {
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
