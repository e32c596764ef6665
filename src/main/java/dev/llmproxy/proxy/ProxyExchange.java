package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.routing.RetryAfter;
import dev.llmproxy.routing.RetryPolicy;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.token.TokenGrant;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

/**
 * One proxied call, from the caller's body to the provider and back, with no thread waiting on either side. It ties
 * the parts together: the {@link Admission} decides; the {@link Attempts} send the route plan's attempts; a status
 * or failure worth retrying moves to the next attempt while nothing has reached the caller; the first answer that
 * counts is relayed by a {@link StreamRelay}; the {@link PhaseWatchdog} times the provider and the caller. Whatever
 * way the call ends, {@link #ended} records it once and settles its limits and budgets.
 */
final class ProxyExchange implements RequestBodyReader.Body, StreamRelay.Events, Attempts.Outcome,
        OpenExchanges.Member {
    private static final Logger LOG = Logger.getLogger(ProxyExchange.class.getName());
    private static final long CONTAINER_ENDS_MS = 2_000;

    private final Caller caller;
    private final CallerRequest request;
    private final TokenGrant grant;
    private final CallRecord call;
    private final ProxyServices services;
    private final PhaseWatchdog watchdog;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile AdmittedCall admitted;
    private volatile boolean bodyRead;
    private final Attempts attempts;
    private volatile boolean callerGone;
    private volatile boolean headersReceived;
    private volatile boolean relaying;
    private volatile ResponseTap tap;
    private volatile StreamRelay relay;
    /** Set when the application is going away (see {@link #goingAway}): how the call is ended. */
    private volatile ProxyRefusal leaving;
    private final BodyDeadline bodyDeadline = new BodyDeadline();
    private final CallHoldings holdings;
    /** Counted down once the call has ended and its request was completed. */
    private final CountDownLatch over = new CountDownLatch(1);

    ProxyExchange(Caller caller, CallerRequest request, TokenGrant grant, CallRecord call, ProxyServices services) {
        this.caller = caller;
        this.request = request;
        this.grant = grant;
        this.call = call;
        this.services = services;
        var settings = services.settings();
        this.watchdog = new PhaseWatchdog(services.scheduling(), settings.responseTimeoutMs(),
                settings.idleTimeoutMs(), services.protection().callerWriteTimeoutMs(), this::timedOut);
        this.attempts = new Attempts(services, request, watchdog, call.requestId(), this);
        this.holdings = new CallHoldings(services.inFlight());
        services.callLog().entered();
        services.exchanges().opened(this);
    }

    /** The body is being read: it must be whole within {@code request-body-timeout-ms}. */
    void awaitBody(RequestBodyReader reader) {
        long limit = services.protection().requestBodyTimeoutMs();
        bodyDeadline.start(services.scheduling(), limit, () -> {
            if (holdings.deadlinePassed()) {
                reader.stop();
                refuse(ProxyRefusal.bodyTimeout(limit));
            }
        });
    }

    /** The whole body is here: admit the call and send its first attempt. */
    @Override
    public void bodyRead(byte[] body) {
        if (!holdings.bodyArrived(body.length)) {
            services.inFlight().giveBodyBytes(body.length); // the deadline came first, or the call ended
            return;
        }
        bodyRead = true;
        bodyDeadline.cancel();
        if (!services.admission().needsDatabase(grant)) {
            guarded("start", () -> admitAndSend(body));
            return;
        }
        // No network thread waits on the database, and the caller waits for it at most database-deadline-ms.
        long limit = services.protection().databaseDeadlineMs();
        Scheduling.Task deadline = services.scheduling().schedule(
                () -> refuse(ProxyRefusal.databaseDeadline(limit)), limit);
        if (!services.work().offer(() -> {
            try {
                guarded("start", () -> admitAndSend(body));
            } finally {
                deadline.cancel();
            }
        })) {
            deadline.cancel();
            refuse(ProxyRefusal.busy()); // the database is slow: no network thread waits on it
        }
    }

    @Override
    public void bodyRefused(DomainException refusal) {
        bodyDeadline.cancel();
        refuse(refusal);
    }

    @Override
    public void bodyFailed(Throwable failure) {
        bodyDeadline.cancel();
        callerGone(failure);
    }

    /**
     * Runs a step on a container or client thread. A fault of the proxy's own must not leave the caller waiting: it
     * is logged with the request id and answered with 500 {@code internal_error}.
     */
    @Override
    public void guarded(String step, Runnable work) {
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
        if (over()) {
            return; // ended while the admission waited for a work thread: nothing to admit
        }
        if (!services.exchanges().admitting()) {
            refuse(ProxyRefusal.shuttingDown()); // the application is going away
            return;
        }
        if (!services.callLog().reserve(call)) {
            refuse(ProxyRefusal.recordsBacklogged()); // before anything goes upstream
            return;
        }
        Admission.Decision decision;
        try {
            decision = services.admission().admit(grant, request, body, call, holdings::chargeDecoded);
        } catch (DomainException refusal) {
            refuse(refusal);
            return;
        }
        if (decision instanceof Admission.Cached cached) {
            new CachedAnswer(cached, caller, call).send(this::finish, this::callerGone);
            return;
        }
        AdmittedCall admittedCall = ((Admission.Admitted) decision).call();
        if (!holdings.handOver(admittedCall)) { // the exchange ended meanwhile: give back what the admission took
            admittedCall.settleOn(services.work(), Optional.empty(), call.requestId());
            return;
        }
        admitted = admittedCall;
        admitted.rateHeaders().forEach(caller::setHeader);
        admitted.plan().first().ifPresentOrElse(attempt -> attempts.send(attempt, admitted.body()),
                () -> refuse(ProxyRefusal.circuitOpen(admitted.plan().breakerOpenMs())));
    }

    @Override
    public boolean over() {
        return finished.get() || callerGone;
    }

    @Override
    public void answerEnded() {
        if (!relaying) {
            finish();
        }
    }

    /**
     * The provider's status and headers. A status worth retrying, that the plan's retry policy allows to retry, is
     * not passed on while another attempt is left: the answer is dropped and the next attempt sent. Anything else
     * commits the call to this upstream.
     */
    @Override
    public void answerBegins(RoutePlan.Attempt attempt, UpstreamTransport.Response response) {
        int status = response.status();
        HttpFields headers = response.headers();
        if (RetryPolicy.worthRetrying(status)) {
            UpstreamStatusException failure = new UpstreamStatusException(status);
            if (retried(attempt, failure, admitted.plan().retries().retriesStatus(status),
                    RetryAfter.millis(headers.get("retry-after-ms"), headers.get("Retry-After"), Instant.now()))) {
                response.abort(failure);
                return;
            }
        } else {
            attempt.succeeded();
        }
        headersReceived = true;
        watchdog.firstByteArrived();
        tap = AnswerHead.pass(response, attempt, admitted, call, caller, services.errors());
    }

    @Override
    public void content(Content.Source source) {
        relaying = true;
        try {
            relay = new StreamRelay(source, caller.output(), tap, watchdog, this);
            if (leaving != null && tap.streamed()) {
                relay.endWith(services.errors().streamEvent(leaving, request.path()));
            }
            // From a container thread: Tomcat goes on to run the connection's next request on a thread of ours that
            // sets the write listener (seen holding a provider-client thread through a redeploy, #14).
            caller.onContainerThread(() -> guarded("relay", relay::start));
        } catch (IOException | IllegalStateException e) {
            callerGone(e);
        }
    }

    @Override
    public void delivered() {
        finish();
    }

    @Override
    public void callerFailed(Throwable failure) {
        callerGone(failure);
    }

    /**
     * The provider's answer broke off while it was relayed (a cut, a reset, the idle timeout): the status is sent,
     * so the caller is told at the end of what it got (a final error event on a stream, see
     * {@link ResponseTap#failed}); the record keeps the status and names the error. Never replayed elsewhere.
     */
    @Override
    public DomainException upstreamFailedMidway(Throwable failure) {
        RoutePlan.Attempt attempt = attempts.current();
        DomainException error = services.failures().midway(attempt.target().provider().id(), failure);
        LOG.fine(() -> "Upstream " + attempt.target() + " failed mid-response for " + grant + ": " + failure);
        if (!over()) {
            call.failedMidway(error.code());
        }
        return error;
    }

    @Override
    public void endedEarly() {
        call.cutShort(leaving.code());
        finish();
    }

    @Override
    public boolean streaming() {
        ResponseTap t = tap;
        return t != null && t.streamed();
    }

    /**
     * The application is going away (see {@link OpenExchanges}): a call not yet answered is refused with 503
     * {@code proxy_shutting_down} (an attempt on the wire is cut first, and not retried); a stream under way ends
     * with that error as its last event; an answer that is not a stream is left to finish.
     */
    @Override
    public void goingAway() {
        if (over()) {
            return;
        }
        leaving = ProxyRefusal.shuttingDown();
        StreamRelay r = relay;
        if (r != null && streaming()) {
            try {
                r.endWith(services.errors().streamEvent(leaving, request.path()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            attempts.abort(leaving); // wakes a relay that waits on the provider
        } else if (!headersReceived && !caller.isCommitted()) {
            if (attempts.current() == null) {
                refuse(leaving); // nothing sent upstream yet
            } else {
                attempts.abort(leaving); // upstreamFailed refuses it, on the attempt's own thread
            }
        }
    }

    /**
     * The container ends the request itself, though the proxy set no timeout: Tomcat times out the asynchronous
     * requests of an application it stops, once its Context's {@code unloadDelay} has passed. The caller is told as
     * at shutdown ({@link #goingAway}) and the call has ended when this returns (at most {@value #CONTAINER_ENDS_MS}
     * ms later), since the container completes the request then.
     */
    void containerEnds() {
        goingAway();
        try {
            over.await(CONTAINER_ENDS_MS, TimeUnit.MILLISECONDS); // the relay's or the attempt's thread ends it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cut();
    }

    /** Still open after the others ended: refused if nothing was answered yet, else ended where it is. */
    @Override
    public void cut() {
        if (over()) {
            return;
        }
        if (!headersReceived && !caller.isCommitted()) {
            refuse(ProxyRefusal.shuttingDown());
            return;
        }
        call.cutShort(ProxyRefusal.shuttingDown().code());
        attempts.abort(new java.util.concurrent.CancellationException("the proxy is shutting down"));
        finish();
    }

    @Override
    public void upstreamFailed(Throwable failure, boolean requestLeft) {
        RoutePlan.Attempt attempt = attempts.current();
        if (over()) {
            attempt.abandoned();
            return;
        }
        if (relaying) {
            return; // the relay reads the failure in its turn (upstreamFailedMidway) and ends the call
        }
        if (headersReceived || caller.isCommitted()) {
            if (relay != null && relay.ending()) {
                return; // cut to end the stream (goingAway): the relay writes its last event and ends it
            }
            // The answer began but its body was not relayed yet: the status is sent, the caller sees a short body.
            LOG.fine(() -> "Upstream " + attempt.target() + " failed mid-response for " + grant + ": " + failure);
            call.failedMidway(services.failures().midway(attempt.target().provider().id(), failure).code());
            finish();
            return;
        }
        if (leaving != null) {
            attempt.abandoned();
            refuse(leaving); // cut at shutdown before the provider answered: not retried
            return;
        }
        if (retried(attempt, failure, admitted.plan().retries().retriesFailure(requestLeft),
                OptionalLong.empty())) {
            return;
        }
        LOG.log(Level.INFO, "Upstream " + attempt.target() + " failed for request " + call.requestId() + " (" + grant
                + (requestLeft ? ", after its request began to leave" : ", before its request left")
                + ")", failure);
        int made = admitted.plan().attempts();
        call.attempted(made);
        caller.setHeader(AnswerHead.ATTEMPTS_HEADER, String.valueOf(made));
        refuse(services.failures().classify(attempt.target().provider().id(), failure));
    }

    /**
     * Counts the attempt as failed (its breaker learns it) and, when {@code allowed}, sends the plan's next one if
     * there is one left.
     */
    private boolean retried(RoutePlan.Attempt attempt, Throwable failure, boolean allowed, OptionalLong retryAfterMs) {
        attempt.failed(failure);
        if (!allowed) {
            LOG.fine(() -> "Upstream " + attempt.target() + " failed for " + grant + " (" + failure + "); not retried:"
                    + " the provider may have processed it");
            return false;
        }
        var next = admitted.plan().next(retryAfterMs);
        next.ifPresent(n -> {
            LOG.fine(() -> "Upstream " + attempt.target() + " failed for " + grant + " (" + failure + "); next: "
                    + n.target() + " in " + n.delayMs() + " ms");
            attempts.send(n, admitted.body());
        });
        return next.isPresent();
    }

    /** The watchdog: the provider (or the caller, reading) was silent for too long in the current phase. */
    private void timedOut(PhaseWatchdog.Phase phase, long limitMs) {
        if (phase == PhaseWatchdog.Phase.CALLER) {
            callerLeft(new TimeoutException("The caller read nothing for " + limitMs + " ms"), "caller_too_slow");
            return;
        }
        RoutePlan.Attempt attempt = attempts.current();
        if (attempt != null && !finished.get()) {
            attempts.abort(ProxyRefusal.upstreamTimeout(attempt.target().provider().id(), phase.what, limitMs));
        }
    }

    /** Answers with the proxy's own error, when nothing of the provider's answer has reached the caller. */
    private void refuse(DomainException error) {
        if (finished.compareAndSet(false, true)) {
            call.refused(error.kind().status(), error.code());
            attempts.abort(error); // an attempt on the wire (a retry, a race with the deadline) stops too
            try {
                caller.sendError(error, !bodyRead);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not answer request " + call.requestId() + " with " + error.code(), e);
            }
            try {
                ended();
            } finally {
                caller.complete();
                over.countDown();
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
        attempts.abort(cause);
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
            over.countDown();
        }
    }

    /** Once per exchange: stop the watchdog, record the call, settle what it held, leave the in-flight count. */
    private void ended() {
        watchdog.stop();
        bodyDeadline.cancel();
        CallHoldings.Ended held = holdings.end();
        AdmittedCall admittedCall = held.admitted();
        services.inFlight().giveBodyBytes(held.bodyBytes());
        services.inFlight().endCall(grant.tokenId());
        RoutePlan.Attempt attempt = attempts.current();
        if (attempt != null) {
            attempt.abandoned(); // no-op once the attempt's outcome was told
        }
        if (admittedCall != null && headersReceived) {
            // An Azure answer may name the deployment: the record names the model behind it, which is priced
            call.model(grant.deployments().modelOf(admittedCall.meter().model()));
            if (call.generates()) {
                call.usage(admittedCall.meter().usage());
            }
        }
        var record = services.callLog().finish(call);
        if (admittedCall != null) {
            admittedCall.settleOn(services.work(), record, call.requestId());
        }
        services.callLog().left();
        services.exchanges().closed(this);
    }
}
