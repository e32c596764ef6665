package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.cache.CacheKey;
import dev.llmproxy.cache.CacheLookup;
import dev.llmproxy.cache.CachedResponse;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.routing.RetryAfter;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.routing.UpstreamTarget;
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
final class ProxyExchange implements AsyncListener, WriteListener {
    private static final Logger LOG = Logger.getLogger(ProxyExchange.class.getName());
    /** Which of the project's upstreams answered, and after how many attempts (retries and fallbacks). */
    static final String UPSTREAM_HEADER = "x-llm-proxy-upstream";
    static final String ATTEMPTS_HEADER = "x-llm-proxy-attempts";

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final TokenGrant grant;
    private final String pathAndQuery;
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
    private RoutePlan plan;
    private byte[] body;
    private CacheLookup cache;

    /** The attempt whose callbacks count; callbacks of an attempt given up for a retry find another here. */
    private volatile RoutePlan.Attempt current;
    private volatile boolean callerGone;
    private volatile Request upstream;
    private volatile boolean headersReceived;
    private volatile long lastActivity = System.nanoTime();
    private volatile Scheduler.Task watchdog;
    private Content.Source source;
    private ServletOutputStream out;
    private boolean tapJson;

    ProxyExchange(AsyncContext async, TokenGrant grant, String pathAndQuery, String path, ProxyServices services,
                  CallRecord call) {
        this.async = async;
        this.request = (HttpServletRequest) async.getRequest();
        this.response = (HttpServletResponse) async.getResponse();
        this.grant = grant;
        this.pathAndQuery = pathAndQuery;
        this.path = path;
        this.services = services;
        this.client = services.client();
        this.settings = services.settings();
        this.errors = services.errors();
        this.call = call;
        services.callLog().entered();
    }

    /** Checks the request against the project's allowlist, limits and upstreams, then sends the first attempt. */
    void start(byte[] requestBody) {
        guarded("start", () -> admitAndSend(requestBody));
    }

    /**
     * Runs a step of the exchange on a container or client thread. A fault of the proxy's own must not leave the
     * caller waiting: it is logged with the request id and answered with 500 {@code internal_error}.
     */
    private void guarded(String step, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.SEVERE, "Proxy exchange failed in " + step + " for request " + call.requestId() + " ("
                    + grant + ")", e);
            if (!headersReceived && !response.isCommitted()) {
                refuse(ProxyRefusal.internal(call.requestId()));
            } else {
                clientGone(e);
            }
        }
    }

    private void admitAndSend(byte[] requestBody) {
        LOG.fine(() -> "Exchange " + call.requestId() + " starts: " + request.getMethod() + " " + pathAndQuery);
        UpstreamBody upstreamBody = UpstreamBody.of(requestBody, request.getContentType(), grant.provider(), path);
        body = upstreamBody.bytes();
        call.model(upstreamBody.model());
        if (!grant.models().allows(upstreamBody.model())) {
            refuse(ProxyRefusal.modelNotAllowed(upstreamBody.model())); // before any upstream traffic
            return;
        }
        plan = RoutePlan.forModel(grant.upstreams(), upstreamBody.model(), services.breakers(), services.routing());
        if (!plan.hasCandidates()) {
            refuse(ProxyRefusal.noUpstreamForModel(upstreamBody.model()));
            return;
        }
        cache = services.cache().lookup(grant.cache(), request.getHeader("Cache-Control"),
                upstreamBody.deterministic(), () -> CacheKey.of(grant.projectId(), grant.cache().generation(),
                        request.getMethod(), pathAndQuery, CacheVary.of(request), requestBody));
        if (cache.hit().isPresent()) {
            serveCached(cache.hit().get()); // no rate limit, no budget, nothing upstream
            return;
        }
        List<RateLimiter.Scoped> limits = rateLimits();
        List<Budgets.Scoped> budgets = budgets();
        // Counting the prompt costs more than the rest of the admission: only limits and budgets need it.
        long promptEstimate = limits.isEmpty() && budgets.isEmpty() || upstreamBody.promptTexts().isEmpty() ? 0
                : services.estimator().countMessages(upstreamBody.model(), upstreamBody.promptTexts());
        try {
            rateAdmission = limits.isEmpty() ? null : admitRate(limits, promptEstimate);
            reservation = budgets.isEmpty() ? null : reserveBudget(budgets, upstreamBody, promptEstimate);
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
        plan.first().ifPresentOrElse(this::send,
                () -> refuse(ProxyRefusal.circuitOpen(plan.breakerOpenMs())));
    }

    /** Answers from the cache: the stored body, written without blocking, recorded as a hit that cost nothing. */
    private void serveCached(CachedResponse hit) {
        call.cacheHit(hit.upstream());
        call.firstByte(200);
        response.setStatus(200);
        if (hit.contentType() != null) {
            response.setContentType(hit.contentType());
        }
        response.setContentLengthLong(hit.body().length);
        response.setHeader("Age", String.valueOf(cache.hitAgeSeconds()));
        cache.statusHeader().ifPresent(v -> response.setHeader(CacheLookup.STATUS_HEADER, v));
        response.setHeader(UPSTREAM_HEADER, hit.upstream());
        response.setHeader(ATTEMPTS_HEADER, "0");
        try {
            ServletOutputStream stream = response.getOutputStream();
            stream.setWriteListener(new BodyWriter(stream, hit.body(), this::finish, this::clientGone));
        } catch (IOException | IllegalStateException e) {
            clientGone(e);
        }
    }

    /** Sends an attempt, after its wait if it is a retry. */
    private void send(RoutePlan.Attempt attempt) {
        current = attempt;
        if (attempt.delayMs() > 0) {
            client.scheduler().schedule(() -> guarded("retry", () -> sendNow(attempt)), attempt.delayMs(),
                    TimeUnit.MILLISECONDS);
        } else {
            sendNow(attempt);
        }
    }

    private void sendNow(RoutePlan.Attempt attempt) {
        if (finished.get() || callerGone) {
            attempt.abandoned();
            return;
        }
        UpstreamTarget target = attempt.target();
        LOG.fine(() -> "Exchange " + call.requestId() + " sends attempt " + attempt.number() + " to " + target);
        Request up = client.newRequest(target.baseUrl() + pathAndQuery)
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
                    ProviderCredentials.apply(target, settings, headers);
                });
        if (body.length > 0 || !request.getMethod().equals("GET")) {
            up.body(new BytesRequestContent(request.getContentType(), body));
        }
        up.onResponseHeaders(r -> onHeaders(attempt, r))
                .onResponseContentSource((r, content) -> onContentSource(attempt, content));
        upstream = up;
        lastActivity = System.nanoTime();
        attempt.started();
        rearmWatchdog(settings.responseTimeoutMs());
        up.send(result -> upstreamCompleted(attempt, result));
    }

    /** The token's and the project's budgets, where they have one. */
    private List<Budgets.Scoped> budgets() {
        List<Budgets.Scoped> budgets = new ArrayList<>();
        grant.tokenBudget().ifPresent(b -> budgets.add(new Budgets.Scoped("token", grant.tokenId(), b)));
        grant.projectBudget().ifPresent(b -> budgets.add(new Budgets.Scoped("project", grant.projectId(), b)));
        return budgets;
    }

    /**
     * Reserves the call's estimated cost on the budgets: the priced prompt estimate plus the caller's output cap (or
     * {@code budget-default-output-tokens}); a model without a price reserves nothing.
     */
    private Budgets.Reservation reserveBudget(List<Budgets.Scoped> budgets, UpstreamBody body, long prompt) {
        long output = body.maxOutputTokens() != null ? body.maxOutputTokens() : settings.defaultOutputTokens();
        long estimate = services.prices().table().find(body.model())
                .map(p -> p.costMicros(new TokenUsage(prompt, output, 0, 0, true))).orElse(0L);
        return services.budgets().reserve(budgets, estimate);
    }

    /** The token's and the project's per-minute limits, where they have one. */
    private List<RateLimiter.Scoped> rateLimits() {
        List<RateLimiter.Scoped> limits = new ArrayList<>();
        if (!grant.tokenRateLimit().isNone()) {
            limits.add(new RateLimiter.Scoped("token", grant.tokenId(), grant.tokenRateLimit()));
        }
        if (!grant.projectRateLimit().isNone()) {
            limits.add(new RateLimiter.Scoped("project", grant.projectId(), grant.projectRateLimit()));
        }
        return limits;
    }

    /** Takes a request and the prompt estimate from the limits' buckets. */
    private RateLimiter.Admission admitRate(List<RateLimiter.Scoped> limits, long promptEstimate) {
        RateLimiter.Admission admission = services.rateLimiter().admit(limits, promptEstimate);
        admission.headers().forEach(response::setHeader);
        return admission;
    }

    /** Answers with the proxy's own error, before anything was sent upstream. */
    void refuse(DomainException error) {
        if (finished.compareAndSet(false, true)) {
            call.refused(error.kind().status(), error.code());
            if (body == null) {
                ProxyServices.closeUnreadBody(request, response); // refused while the body was being read
            }
            try {
                errors.write(response, error);
            } catch (IOException e) {
                LOG.log(Level.FINE, "Could not send the refusal; the caller went away", e);
            }
            try {
                ended();
            } finally {
                async.complete();
            }
        }
    }

    /** The caller disconnected or its connection failed: stop the upstream call. */
    void clientGone(Throwable cause) {
        callerGone = true;
        if (!finished.get()) {
            call.refused(499, "client_disconnected");
        }
        Request up = upstream;
        if (up != null) {
            up.abort(cause);
        }
        finish();
    }

    /**
     * The provider's status and headers. A status worth retrying is not passed on while another attempt is left:
     * the response is dropped and the next attempt sent. Anything else commits the call to this upstream.
     */
    private void onHeaders(RoutePlan.Attempt attempt, Response upstreamResponse) {
        if (attempt != current || finished.get()) {
            return;
        }
        int status = upstreamResponse.getStatus();
        if (RoutePlan.retryable(status)) {
            attempt.failed(new UpstreamStatusException(status));
            var headers = upstreamResponse.getHeaders();
            var next = plan.next(RetryAfter.millis(headers.get("retry-after-ms"), headers.get("Retry-After"),
                    java.time.Instant.now()));
            if (next.isPresent()) {
                LOG.fine(() -> "Upstream " + attempt.target() + " answered " + status + " for " + grant + "; next: "
                        + next.get().target() + " in " + next.get().delayMs() + " ms");
                send(next.get());
                upstreamResponse.abort(new UpstreamStatusException(status));
                return;
            }
        } else {
            attempt.succeeded();
        }
        headersReceived = true;
        lastActivity = System.nanoTime();
        call.upstream(attempt.target().name(), attempt.target().provider(), plan.attempts());
        call.firstByte(status);
        String type = upstreamResponse.getHeaders().get("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("text/event-stream")) {
            call.streamed(true);
            sse = new SseFramer(meter::sseEvent);
        }
        tapJson = sse == null && lower.contains("json");
        response.setStatus(status);
        for (HttpField field : upstreamResponse.getHeaders()) {
            // SSE events may be rewritten (see UsageMeter), so their length is not passed on
            if (UpstreamHeaders.forwardToClient(field.getName())
                    && !(sse != null && field.getName().equalsIgnoreCase("Content-Length"))) {
                response.addHeader(field.getName(), field.getValue());
            }
        }
        response.setHeader(UPSTREAM_HEADER, attempt.target().name());
        response.setHeader(ATTEMPTS_HEADER, String.valueOf(plan.attempts()));
        cache.onUpstreamHeaders(status, type, upstreamResponse.getHeaders().getLongField("Content-Length"), sse != null,
                        attempt.target().name())
                .ifPresent(v -> response.setHeader(CacheLookup.STATUS_HEADER, v));
        if (rateAdmission != null) {
            rateAdmission.headers().forEach(response::setHeader); // ours, not the provider's organisation limits
        }
    }

    private void onContentSource(RoutePlan.Attempt attempt, Content.Source contentSource) {
        if (attempt != current) {
            return; // a dropped attempt: its request is being aborted
        }
        relayFrom(contentSource);
    }

    private void relayFrom(Content.Source contentSource) {
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
        cache.onChunk(chunk);
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
                    cache.onComplete(); // whole: the provider's stream ended normally
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

    private void upstreamCompleted(RoutePlan.Attempt attempt, Result result) {
        if (attempt != current) {
            return;
        }
        if (result.isFailed()) {
            upstreamFailed(result.getFailure());
        } else if (source == null) {
            finish();
        }
    }

    private void upstreamFailed(Throwable failure) {
        RoutePlan.Attempt attempt = current;
        if (finished.get() || callerGone) {
            attempt.abandoned();
            return;
        }
        if (!headersReceived && !response.isCommitted()) {
            attempt.failed(failure);
            var next = plan.next(java.util.OptionalLong.empty());
            if (next.isPresent()) {
                LOG.fine(() -> "Upstream " + attempt.target() + " failed for " + grant + " (" + failure + "); next: "
                        + next.get().target() + " in " + next.get().delayMs() + " ms");
                send(next.get());
                return;
            }
            refuse(classify(attempt.target(), failure));
        } else {
            // The provider cut the stream after it began: the status is sent, so the caller sees a short body.
            LOG.fine(() -> "Upstream " + attempt.target() + " failed mid-response for " + grant + ": " + failure);
            finish();
        }
    }

    private DomainException classify(UpstreamTarget target, Throwable failure) {
        if (failure instanceof DomainException known) {
            return known;
        }
        String provider = target.provider().id();
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
            try {
                ended();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Ending exchange " + call.requestId() + " failed; completing it anyway", e);
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // normally: already completed by the container after an error
                LOG.log(Level.WARNING, "Could not complete exchange " + call.requestId(), e);
            }
        }
    }

    /** Once per exchange: stop the watchdog, record the call, leave the in-flight count. */
    private void ended() {
        LOG.fine(() -> "Exchange " + call.requestId() + " ends");
        Scheduler.Task task = watchdog;
        if (task != null) {
            task.cancel();
        }
        RoutePlan.Attempt attempt = current;
        if (attempt != null) {
            attempt.abandoned(); // no-op once the attempt's outcome was told
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

    /** A new attempt starts its own wait for the first byte. */
    private void rearmWatchdog(long delayMs) {
        Scheduler.Task task = watchdog;
        if (task != null) {
            task.cancel();
        }
        scheduleWatchdog(delayMs);
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
            upstream.abort(ProxyRefusal.upstreamTimeout(current.target().provider().id(), what, limit));
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
