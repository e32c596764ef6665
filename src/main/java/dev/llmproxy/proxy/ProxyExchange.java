package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.routing.RetryAfter;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.usage.RequestRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

/**
 * One proxied call, from the caller's body to the provider and back, with no thread waiting on either side. It ties
 * the parts together: the {@link Admission} decides; each attempt of the route plan is built by
 * {@link OutboundRequests} and sent by the {@link UpstreamTransport}; a status worth retrying moves to the next
 * attempt while nothing has reached the caller; the first answer that counts is relayed by a {@link StreamRelay};
 * the {@link PhaseWatchdog} times the provider. Whatever way the call ends, {@link #ended} records it once and
 * settles its limits and budgets.
 */
final class ProxyExchange implements RequestBodyReader.Body, StreamRelay.Events {
    private static final Logger LOG = Logger.getLogger(ProxyExchange.class.getName());
    /** Which of the project's upstreams answered, and after how many attempts (retries and fallbacks). */
    static final String UPSTREAM_HEADER = "x-llm-proxy-upstream";
    static final String ATTEMPTS_HEADER = "x-llm-proxy-attempts";

    private final Caller caller;
    private final CallerRequest request;
    private final TokenGrant grant;
    private final CallRecord call;
    private final ProxyServices services;
    private final PhaseWatchdog watchdog;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile AdmittedCall admitted;
    private volatile boolean bodyRead;
    /** The attempt whose callbacks count; callbacks of an attempt given up for a retry find another here. */
    private volatile RoutePlan.Attempt current;
    private volatile UpstreamTransport.Sending sending;
    private volatile boolean callerGone;
    private volatile boolean headersReceived;
    private volatile boolean relaying;
    private volatile ResponseTap tap;
    private volatile Scheduling.Task bodyTimer;
    /** Body bytes counted in {@link InFlight} until the call ends. */
    private volatile long bodyBytes;

    ProxyExchange(Caller caller, CallerRequest request, TokenGrant grant, CallRecord call, ProxyServices services) {
        this.caller = caller;
        this.request = request;
        this.grant = grant;
        this.call = call;
        this.services = services;
        var settings = services.settings();
        this.watchdog = new PhaseWatchdog(services.scheduling(), settings.responseTimeoutMs(),
                settings.idleTimeoutMs(), services.protection().callerWriteTimeoutMs(), this::timedOut);
        services.callLog().entered();
    }

    /** The body is being read: it must be whole within {@code request-body-timeout-ms}. */
    void awaitBody(RequestBodyReader reader) {
        long limit = services.protection().requestBodyTimeoutMs();
        bodyTimer = services.scheduling().schedule(() -> {
            if (!bodyRead) {
                reader.stop();
                refuse(ProxyRefusal.bodyTimeout(limit));
            }
        }, limit);
    }

    /** The whole body is here: admit the call and send its first attempt. */
    @Override
    public void bodyRead(byte[] body) {
        bodyRead = true;
        bodyBytes = body.length;
        cancelBodyTimer();
        if (!services.admission().needsDatabase(grant)) {
            guarded("start", () -> admitAndSend(body));
        } else if (!services.work().offer(() -> guarded("start", () -> admitAndSend(body)))) {
            refuse(ProxyRefusal.busy()); // the database is slow: no network thread waits on it
        }
    }

    @Override
    public void bodyRefused(DomainException refusal) {
        cancelBodyTimer();
        refuse(refusal);
    }

    @Override
    public void bodyFailed(Throwable failure) {
        cancelBodyTimer();
        callerGone(failure);
    }

    private void cancelBodyTimer() {
        Scheduling.Task timer = bodyTimer;
        if (timer != null) {
            timer.cancel();
        }
    }

    /**
     * Runs a step on a container or client thread. A fault of the proxy's own must not leave the caller waiting: it
     * is logged with the request id and answered with 500 {@code internal_error}.
     */
    private void guarded(String step, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.SEVERE, "Proxy exchange failed in " + step + " for request " + call.requestId() + " ("
                    + grant + ")", e);
            if (!headersReceived && !caller.isCommitted()) {
                refuse(ProxyRefusal.internal(call.requestId()));
            } else {
                callerGone(e);
            }
        }
    }

    private void admitAndSend(byte[] body) {
        if (!services.callLog().reserve(call)) {
            refuse(ProxyRefusal.recordsBacklogged()); // before anything goes upstream
            return;
        }
        Admission.Decision decision;
        try {
            decision = services.admission().admit(grant, request, body, call);
        } catch (DomainException refusal) {
            refuse(refusal);
            return;
        }
        if (decision instanceof Admission.Cached cached) {
            new CachedAnswer(cached, caller, call).send(this::finish, this::callerGone);
            return;
        }
        admitted = ((Admission.Admitted) decision).call();
        admitted.rateHeaders().forEach(caller::setHeader);
        admitted.plan().first().ifPresentOrElse(this::send,
                () -> refuse(ProxyRefusal.circuitOpen(admitted.plan().breakerOpenMs())));
    }

    /** Sends an attempt, after its wait if it is a retry. */
    private void send(RoutePlan.Attempt attempt) {
        current = attempt;
        if (attempt.delayMs() > 0) {
            services.scheduling().schedule(() -> guarded("retry", () -> sendNow(attempt)), attempt.delayMs());
        } else {
            sendNow(attempt);
        }
    }

    private void sendNow(RoutePlan.Attempt attempt) {
        if (finished.get() || callerGone) {
            attempt.abandoned();
            return;
        }
        OutboundRequest outbound = services.outbound().build(attempt.target(), request, admitted.body().bytes());
        LOG.fine(() -> "Exchange " + call.requestId() + " sends attempt " + attempt.number() + " to "
                + attempt.target());
        attempt.started();
        watchdog.awaitFirstByte();
        sending = services.transport().send(outbound, new AttemptListener(attempt));
    }

    /** The transport's news of one attempt; ignored once another attempt is the current one. */
    private final class AttemptListener implements UpstreamTransport.Listener {
        private final RoutePlan.Attempt attempt;

        AttemptListener(RoutePlan.Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onHeaders(UpstreamTransport.Response response) {
            if (attempt == current && !finished.get()) {
                guarded("headers", () -> answerBegins(attempt, response));
            }
        }

        @Override
        public void onContent(Content.Source source) {
            if (attempt == current) {
                guarded("relay", () -> relay(source));
            }
        }

        @Override
        public void onComplete(Throwable failure) {
            if (attempt != current) {
                return;
            }
            if (failure != null) {
                upstreamFailed(failure);
            } else if (!relaying) {
                finish();
            }
        }
    }

    /**
     * The provider's status and headers. A status worth retrying is not passed on while another attempt is left:
     * the answer is dropped and the next attempt sent. Anything else commits the call to this upstream.
     */
    private void answerBegins(RoutePlan.Attempt attempt, UpstreamTransport.Response response) {
        int status = response.status();
        HttpFields headers = response.headers();
        if (RoutePlan.retryable(status)) {
            attempt.failed(new UpstreamStatusException(status));
            var next = admitted.plan().next(RetryAfter.millis(headers.get("retry-after-ms"),
                    headers.get("Retry-After"), Instant.now()));
            if (next.isPresent()) {
                LOG.fine(() -> "Upstream " + attempt.target() + " answered " + status + " for " + grant + "; next: "
                        + next.get().target() + " in " + next.get().delayMs() + " ms");
                send(next.get());
                response.abort(new UpstreamStatusException(status));
                return;
            }
        } else {
            attempt.succeeded();
        }
        headersReceived = true;
        watchdog.firstByteArrived();
        tap = AnswerHead.pass(response, attempt, admitted, call, caller);
    }

    private void relay(Content.Source source) {
        relaying = true;
        try {
            new StreamRelay(source, caller.output(), tap, this).start();
        } catch (IOException | IllegalStateException e) {
            callerGone(e);
        }
    }

    @Override
    public void activity() {
        watchdog.activity();
    }

    @Override
    public void callerFull() {
        watchdog.callerFull();
    }

    @Override
    public void callerTook() {
        watchdog.callerTook();
    }

    @Override
    public void delivered() {
        finish();
    }

    @Override
    public void callerFailed(Throwable failure) {
        callerGone(failure);
    }

    @Override
    public void upstreamFailed(Throwable failure) {
        RoutePlan.Attempt attempt = current;
        if (finished.get() || callerGone) {
            attempt.abandoned();
            return;
        }
        if (headersReceived || caller.isCommitted()) {
            // The provider cut the answer after it began: the status is sent, so the caller sees a short body.
            LOG.fine(() -> "Upstream " + attempt.target() + " failed mid-response for " + grant + ": " + failure);
            finish();
            return;
        }
        attempt.failed(failure);
        var next = admitted.plan().next(OptionalLong.empty());
        if (next.isPresent()) {
            LOG.fine(() -> "Upstream " + attempt.target() + " failed for " + grant + " (" + failure + "); next: "
                    + next.get().target() + " in " + next.get().delayMs() + " ms");
            send(next.get());
            return;
        }
        LOG.log(Level.INFO, "Upstream " + attempt.target() + " failed for request " + call.requestId() + " (" + grant
                + ")", failure);
        refuse(services.failures().classify(attempt.target().provider().id(), failure));
    }

    /** The watchdog: the provider (or the caller, reading) was silent for too long in the current phase. */
    private void timedOut(PhaseWatchdog.Phase phase, long limitMs) {
        if (phase == PhaseWatchdog.Phase.CALLER) {
            callerLeft(new TimeoutException("The caller read nothing for " + limitMs + " ms"), "caller_too_slow");
            return;
        }
        UpstreamTransport.Sending attempt = sending;
        if (attempt != null && !finished.get()) {
            attempt.abort(ProxyRefusal.upstreamTimeout(current.target().provider().id(), phase.what, limitMs));
        }
    }

    /** Answers with the proxy's own error, when nothing of the provider's answer has reached the caller. */
    private void refuse(DomainException error) {
        if (finished.compareAndSet(false, true)) {
            call.refused(error.kind().status(), error.code());
            caller.sendError(error, !bodyRead);
            try {
                ended();
            } finally {
                caller.complete();
            }
        }
    }

    /** The caller disconnected or its connection failed: stop the upstream call. */
    void callerGone(Throwable cause) {
        callerLeft(cause, "client_disconnected");
    }

    /** The caller is gone, or as good as gone ({@code caller_too_slow}): recorded as 499 with the code. */
    private void callerLeft(Throwable cause, String code) {
        if (!finished.get() && !callerGone) {
            call.refused(499, code);
        }
        callerGone = true;
        UpstreamTransport.Sending attempt = sending;
        if (attempt != null) {
            attempt.abort(cause);
        }
        finish();
    }

    /** The container completed the request (normally after {@link #finish}): nothing is left to time. */
    void completed() {
        watchdog.stop();
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            try {
                ended();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Ending exchange " + call.requestId() + " failed; completing it anyway", e);
            }
            caller.complete();
        }
    }

    /** Once per exchange: stop the watchdog, record the call, settle what it held, leave the in-flight count. */
    private void ended() {
        watchdog.stop();
        cancelBodyTimer();
        services.inFlight().giveBodyBytes(bodyBytes);
        services.inFlight().endCall(grant.tokenId());
        RoutePlan.Attempt attempt = current;
        if (attempt != null) {
            attempt.abandoned(); // no-op once the attempt's outcome was told
        }
        AdmittedCall admittedCall = admitted;
        if (admittedCall != null && headersReceived) {
            call.model(admittedCall.meter().model());
            call.usage(admittedCall.meter().usage());
        }
        var record = services.callLog().finish(call);
        if (admittedCall != null) {
            settle(admittedCall, record);
        }
        services.callLog().left();
    }

    /** Settles the call's limits and budgets, on a work thread when that waits on the database. */
    private void settle(AdmittedCall admittedCall, Optional<RequestRecord> record) {
        if (!admittedCall.settlingNeedsDatabase()) {
            admittedCall.settle(record);
        } else if (!services.work().offer(() -> admittedCall.settle(record))) {
            LOG.warning(() -> "No work thread free to settle request " + call.requestId() + "; it settles later");
            admittedCall.settleLater(record);
        }
    }
}
