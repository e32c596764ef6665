package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageDialect;
import dev.llmproxy.usage.UsageMeter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One proxied call, from the caller's async request to the provider and back, with no thread waiting on either
 * side: the body goes up once read; the answer comes back chunk by chunk, each written and flushed as soon as the
 * caller can take it and only then is the next chunk demanded from the provider (backpressure both ways). A
 * watchdog enforces the time to the provider's first byte and the idle time between chunks; a live stream has no
 * total limit. If the caller goes away, the upstream request is aborted.
 */
final class ProxyExchange implements AsyncListener, WriteListener, Response.ContentSourceListener {
    private static final Logger LOG = Logger.getLogger(ProxyExchange.class.getName());

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final TokenGrant grant;
    private final String upstreamUrl;
    private final String path;
    private final UpstreamClient client;
    private final ProxySettings settings;
    private final OpenAiErrors errors;
    private final ProxyServices services;
    private final CallRecord call;
    private final AtomicBoolean finished = new AtomicBoolean();
    private UsageMeter meter;
    private Budgets.Reservation reservation;
    private RateLimiter.Admission rateAdmission;
    private SseFramer sse;

    private volatile Request upstream;
    private volatile boolean headersReceived;
    private volatile long lastActivity = System.nanoTime();
    private volatile Scheduler.Task watchdog;
    private Content.Source source;
    private ServletOutputStream out;
    private boolean tapJson;

    ProxyExchange(AsyncContext async, TokenGrant grant, String upstreamUrl, String path, ProxyServices services,
                  CallRecord call) {
        this.async = async;
        this.request = (HttpServletRequest) async.getRequest();
        this.response = (HttpServletResponse) async.getResponse();
        this.grant = grant;
        this.upstreamUrl = upstreamUrl;
        this.path = path;
        this.services = services;
        this.client = services.client();
        this.settings = services.settings();
        this.errors = services.errors();
        this.call = call;
        services.callLog().entered();
    }

    /** Sends the request upstream with the body read so far. */
    void start(byte[] requestBody) {
        UpstreamBody upstreamBody = UpstreamBody.of(requestBody, request.getContentType(), grant.provider(), path);
        byte[] body = upstreamBody.bytes();
        call.model(upstreamBody.model());
        if (!grant.models().allows(upstreamBody.model())) {
            refuse(ProxyRefusal.modelNotAllowed(upstreamBody.model())); // before any upstream traffic
            return;
        }
        long promptEstimate = upstreamBody.promptTexts().isEmpty() ? 0
                : services.estimator().countMessages(upstreamBody.model(), upstreamBody.promptTexts());
        try {
            rateAdmission = admitRate(promptEstimate);
            reservation = reserveBudget(upstreamBody, promptEstimate);
        } catch (DomainException e) {
            refuse(e);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Budget check failed for " + grant, e);
            refuse(ProxyRefusal.budgetUnavailable());
            return;
        }
        meter = new UsageMeter(grant.provider() == Provider.ANTHROPIC ? UsageDialect.ANTHROPIC : UsageDialect.OPENAI,
                upstreamBody.model(), upstreamBody.injectedStreamUsage(), upstreamBody.promptTexts(),
                services.estimator());
        Request up = client.newRequest(upstreamUrl)
                .method(request.getMethod())
                // Backstop only: the watchdog applies the configured limits per phase.
                .idleTimeout(Math.max(settings.responseTimeoutMs(), settings.idleTimeoutMs()) + 5_000L,
                        TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    for (String name : Collections.list(request.getHeaderNames())) {
                        if (UpstreamHeaders.forwardToProvider(name) && !name.equalsIgnoreCase("content-type")) {
                            for (String value : Collections.list(request.getHeaders(name))) {
                                headers.add(name, value);
                            }
                        }
                    }
                    headers.put("Accept-Encoding", "identity");
                    ProviderCredentials.apply(grant, settings, headers);
                });
        if (body.length > 0 || !request.getMethod().equals("GET")) {
            up.body(new BytesRequestContent(request.getContentType(), body));
        }
        up.onResponseHeaders(this::onHeaders).onResponseContentSource(this);
        upstream = up;
        lastActivity = System.nanoTime();
        scheduleWatchdog(settings.responseTimeoutMs());
        // A lambda, not this: Jetty registers a listener passed to send() for every event type it implements,
        // and a second content-source registration would split the content between two consumers.
        up.send(this::upstreamCompleted);
    }

    /**
     * Reserves the call's estimated cost on the token's and the project's budgets: the priced prompt estimate plus the
     * caller's output cap (or {@code budget-default-output-tokens}); a model without a price reserves nothing.
     */
    private Budgets.Reservation reserveBudget(UpstreamBody body, long prompt) {
        List<Budgets.Scoped> budgets = new ArrayList<>();
        grant.tokenBudget().ifPresent(b -> budgets.add(new Budgets.Scoped("token", grant.tokenId(), b)));
        grant.projectBudget().ifPresent(b -> budgets.add(new Budgets.Scoped("project", grant.projectId(), b)));
        if (budgets.isEmpty()) {
            return null;
        }
        long output = body.maxOutputTokens() != null ? body.maxOutputTokens() : settings.defaultOutputTokens();
        long estimate = services.prices().table().find(body.model())
                .map(p -> p.costMicros(new TokenUsage(prompt, output, 0, 0, true))).orElse(0L);
        return services.budgets().reserve(budgets, estimate);
    }

    /** Takes a request and the prompt estimate from the token's and the project's per-minute limits. */
    private RateLimiter.Admission admitRate(long promptEstimate) {
        List<RateLimiter.Scoped> limits = new ArrayList<>();
        if (!grant.tokenRateLimit().isNone()) {
            limits.add(new RateLimiter.Scoped("token", grant.tokenId(), grant.tokenRateLimit()));
        }
        if (!grant.projectRateLimit().isNone()) {
            limits.add(new RateLimiter.Scoped("project", grant.projectId(), grant.projectRateLimit()));
        }
        if (limits.isEmpty()) {
            return null;
        }
        RateLimiter.Admission admission = services.rateLimiter().admit(limits, promptEstimate);
        admission.headers().forEach(response::setHeader);
        return admission;
    }

    /** Answers with the proxy's own error, before anything was sent upstream. */
    void refuse(DomainException error) {
        if (finished.compareAndSet(false, true)) {
            call.refused(error.kind().status(), error.code());
            try {
                errors.write(response, error);
            } catch (IOException e) {
                LOG.log(Level.FINE, "Could not send the refusal; the caller went away", e);
            }
            ended();
            async.complete();
        }
    }

    /** The caller disconnected or its connection failed: stop the upstream call. */
    void clientGone(Throwable cause) {
        if (!finished.get()) {
            call.refused(499, "client_disconnected");
        }
        Request up = upstream;
        if (up != null) {
            up.abort(cause);
        }
        finish();
    }

    private void onHeaders(Response upstreamResponse) {
        headersReceived = true;
        lastActivity = System.nanoTime();
        call.firstByte(upstreamResponse.getStatus());
        String type = upstreamResponse.getHeaders().get("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("text/event-stream")) {
            call.streamed(true);
            sse = new SseFramer(meter::sseEvent);
        }
        tapJson = sse == null && lower.contains("json");
        response.setStatus(upstreamResponse.getStatus());
        for (HttpField field : upstreamResponse.getHeaders()) {
            // SSE events may be rewritten (see UsageMeter), so their length is not passed on
            if (UpstreamHeaders.forwardToClient(field.getName())
                    && !(sse != null && field.getName().equalsIgnoreCase("Content-Length"))) {
                response.addHeader(field.getName(), field.getValue());
            }
        }
        if (rateAdmission != null) {
            rateAdmission.headers().forEach(response::setHeader); // ours, not the provider's organisation limits
        }
    }

    @Override
    public void onContentSource(Response upstreamResponse, Content.Source contentSource) {
        this.source = contentSource;
        try {
            this.out = response.getOutputStream();
            out.setWriteListener(this);
        } catch (IOException | IllegalStateException e) {
            clientGone(e);
        }
    }

    /** What goes to the caller for a chunk from the provider; usage is measured on the way. */
    private byte[] relayed(byte[] chunk) {
        if (sse != null) {
            return sse.feed(chunk);
        }
        if (tapJson) {
            meter.jsonChunk(chunk);
        }
        return chunk;
    }

    @Override
    public void onWritePossible() {
        lastActivity = System.nanoTime();
        pump();
    }

    /**
     * Moves chunks from the provider to the caller while the caller can take them. Exactly one continuation is
     * pending at any time: either a demand on the provider (no chunk yet) or the container's onWritePossible (the
     * caller's buffer is full), so this never runs on two threads at once.
     */
    private void pump() {
        try {
            while (out.isReady()) {
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(this::pump);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    upstreamFailed(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                try {
                    ByteBuffer bytes = chunk.getByteBuffer();
                    if (bytes.hasRemaining()) {
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        out.write(relayed(copy));
                    }
                    if (last && sse != null) {
                        out.write(sse.finish());
                    }
                } finally {
                    chunk.release();
                }
                lastActivity = System.nanoTime();
                if (last) {
                    finish();
                    return;
                }
                if (out.isReady()) {
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            clientGone(e);
        }
    }

    private void upstreamCompleted(Result result) {
        if (result.isFailed()) {
            upstreamFailed(result.getFailure());
        } else if (source == null) {
            finish();
        }
    }

    private void upstreamFailed(Throwable failure) {
        if (finished.get()) {
            return;
        }
        if (!headersReceived && !response.isCommitted()) {
            refuse(classify(failure));
        } else {
            // The provider cut the stream after it began: the status is sent, so the caller sees a short body.
            LOG.fine(() -> "Upstream " + grant.provider().id() + " failed mid-response for " + grant + ": " + failure);
            finish();
        }
    }

    private DomainException classify(Throwable failure) {
        if (failure instanceof DomainException known) {
            return known;
        }
        String provider = grant.provider().id();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return ProxyRefusal.upstreamTimeout(provider, "accept the connection", settings.connectTimeoutMs());
            }
            if (t instanceof ConnectException) {
                return ProxyRefusal.upstreamUnavailable(provider, "connection refused");
            }
        }
        return ProxyRefusal.upstreamUnavailable(provider, failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            ended();
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container after an error
            }
        }
    }

    /** Once per exchange: stop the watchdog, record the call, leave the in-flight count. */
    private void ended() {
        Scheduler.Task task = watchdog;
        if (task != null) {
            task.cancel();
        }
        if (meter != null && headersReceived) {
            call.model(meter.model());
            call.usage(meter.usage());
        }
        var record = services.callLog().finish(call);
        if (rateAdmission != null) {
            rateAdmission.correct(record.map(r -> r.usage().totalTokens()).orElse(0L));
        }
        if (reservation != null) {
            reservation.settle(record.map(r -> r.costMicros() == null ? 0L : r.costMicros()).orElse(0L));
        }
        services.callLog().left();
    }

    private void scheduleWatchdog(long delayMs) {
        watchdog = client.scheduler().schedule(this::checkTimeouts, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Fires at most once per period; activity in between only moves a timestamp, so chunks cost no rescheduling. */
    private void checkTimeouts() {
        if (finished.get()) {
            return;
        }
        long limit = headersReceived ? settings.idleTimeoutMs() : settings.responseTimeoutMs();
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
        if (silentMs >= limit) {
            String what = headersReceived ? "send the next chunk" : "answer";
            upstream.abort(ProxyRefusal.upstreamTimeout(grant.provider().id(), what, limit));
        } else {
            scheduleWatchdog(limit - silentMs);
        }
    }

    @Override
    public void onError(Throwable error) {
        clientGone(error);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        Scheduler.Task task = watchdog;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        clientGone(new TimeoutException("async timeout"));
    }

    @Override
    public void onError(AsyncEvent event) {
        clientGone(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
