package dev.llmproxy.proxy;

import dev.llmproxy.project.Provider;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.usage.Price;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.RequestRecord;
import dev.llmproxy.usage.TokenUsage;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What is known about one call to {@code /v1/*} while it runs: created by the token filter, filled in by whoever
 * learns something, and turned into exactly one {@link RequestRecord} by the first {@link #toRecord} call, whatever
 * way the call ends.
 */
public final class CallRecord {
    public static final String ATTRIBUTE = CallRecord.class.getName();
    public static final String HEADER = "x-llm-proxy-request-id";

    private final String requestId = RequestIds.next();
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    private final String method;
    private final String path;
    private boolean recorded; // guarded by this: the record was made (toRecord)
    private volatile TokenGrant grant;
    private volatile String model;
    private volatile String api;
    private volatile boolean streamed;
    private volatile int status = 200;
    private volatile String errorCode;
    private volatile Integer ttfbMs;
    private volatile TokenUsage usage = TokenUsage.NONE;
    private volatile String upstream;
    private volatile Provider upstreamProvider;
    private volatile int attempts;
    private volatile boolean cacheHit;
    private volatile boolean placeHeld;
    private volatile long placeTicket = dev.llmproxy.usage.RecordSink.NO_PLACE;

    public CallRecord(Instant startedAt, String method, String path) {
        this.startedAt = startedAt;
        this.method = method;
        this.path = path;
    }

    public String requestId() {
        return requestId;
    }

    /** The path the caller asked for (without the query). */
    String path() {
        return path;
    }

    public void grant(TokenGrant grant) {
        this.grant = grant;
    }

    /** The API the call's route reaches ({@code chat.completions}, {@code responses}, …), once it is routed. */
    void api(String api) {
        this.api = api;
    }

    void model(String model) {
        this.model = model;
    }

    /** Which upstream answered, after how many attempts. */
    void upstream(String name, Provider provider, int attempts) {
        this.upstream = name;
        this.upstreamProvider = provider;
        this.attempts = attempts;
    }

    /** How many attempts a call made that ended without an answer from any of them (see {@link #upstream}). */
    void attempted(int attempts) {
        this.attempts = attempts;
    }

    /** Answered from the response cache: nothing went upstream. */
    void cacheHit(String cachedFrom) {
        this.cacheHit = true;
        this.upstream = cachedFrom;
        this.attempts = 0;
    }

    void streamed(boolean streamed) {
        this.streamed = streamed;
    }

    void firstByte(int status) {
        this.status = status;
        this.ttfbMs = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Whether the call's project names a model exactly, for its metric label; nothing is named without a token. */
    java.util.function.Predicate<String> namedByProject() {
        TokenGrant g = grant;
        return g == null ? model -> false : g::namesModel;
    }

    /**
     * The call holds a place in the record queue (see {@link CallLog#reserve}); false when the call was recorded
     * already (it ended meanwhile), so the place is not needed. Decided under the same lock as {@link #toRecord}.
     */
    synchronized boolean placeHeld(long ticket) {
        if (recorded) {
            return false;
        }
        this.placeTicket = ticket;
        this.placeHeld = true;
        return true;
    }

    boolean holdsPlace() {
        return placeHeld;
    }

    /** The ticket of the record queue's place this call holds (see {@link #holdsPlace}). */
    long placeTicket() {
        return placeTicket;
    }

    /** The provider's answer broke off after its status was relayed: the status stays, the error is named. */
    void failedMidway(String code) {
        this.errorCode = code;
    }

    /** The call was refused or failed with the proxy's own error. */
    public void refused(int status, String code) {
        this.status = status;
        this.errorCode = code;
    }

    /** The answer began with the provider's status, which stays, but the proxy ended it early with its own error. */
    void cutShort(String code) {
        this.errorCode = code;
    }

    /**
     * Whether the call may have made the provider generate (and bill) tokens: a POST, unless its provider says the
     * call only counts (ProviderDefinition.generates). A GET or DELETE reads or removes what an earlier call made (a
     * stored response, whose body repeats that call's usage:
     * https://platform.openai.com/docs/api-reference/responses/get), so it is recorded without tokens, not billed twice.
     */
    boolean generates() {
        TokenGrant g = grant;
        return g == null ? method.equals("POST") : g.provider().definition().generates(method, path);
    }

    void usage(TokenUsage usage) {
        this.usage = usage;
    }

    /** The record, the first time it is asked for; empty afterwards, so a call is recorded once. */
    public Optional<RequestRecord> toRecord(PriceTable prices) {
        synchronized (this) {
            if (recorded) {
                return Optional.empty();
            }
            recorded = true;
        }
        TokenGrant g = grant;
        Optional<Price> price = Optional.ofNullable(model).flatMap(prices::find);
        boolean billable = usage.totalTokens() > 0;
        Long cost = price.map(p -> p.costMicros(usage)).orElse(billable ? null : 0L);
        int durationMs = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return Optional.of(new RequestRecord(requestId, startedAt, g == null ? null : g.projectId(),
                g == null ? null : g.tokenId(), upstreamProvider != null ? upstreamProvider.id() : g == null ? null : g.provider().id(), model, method, path, api, status,
                errorCode, streamed, ttfbMs, durationMs, usage, cost, billable && price.isEmpty(), upstream, attempts,
                cacheHit));
    }
}
