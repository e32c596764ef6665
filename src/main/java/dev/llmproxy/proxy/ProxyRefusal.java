package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;

/** The proxy's own refusals and upstream failures, each with its stable code. */
public final class ProxyRefusal extends DomainException {
    private final String allow;

    private ProxyRefusal(Kind kind, String code, String message, String allow) {
        this(kind, code, message, allow, null);
    }

    private ProxyRefusal(Kind kind, String code, String message, String allow, Long retryAfterSeconds) {
        super(kind, code, message, retryAfterSeconds);
        this.allow = allow;
    }

    /** For 405: the methods the path allows. */
    public String allow() {
        return allow;
    }

    /** A query string that is not a valid URI query (RFC 3986): it could not be forwarded as it is. */
    static ProxyRefusal invalidQuery() {
        return new ProxyRefusal(Kind.INVALID, "invalid_query", "The query string is not valid: only the characters"
                + " RFC 3986 allows in a query, and % followed by two hex digits", null);
    }

    /** A caller that signed with its own AWS credentials (SigV4) instead of presenting a proxy token. */
    static ProxyRefusal awsSignature() {
        return new ProxyRefusal(Kind.UNAUTHORIZED, "aws_signature_not_accepted", "The proxy does not take AWS"
                + " Signature Version 4 requests: use your LLM Proxy token as a Bedrock API key (the AWS SDK's bearer"
                + " token, Authorization: Bearer <token>, e.g. AWS_BEARER_TOKEN_BEDROCK)", null);
    }

    static ProxyRefusal unknownPath(String provider, String path) {
        return new ProxyRefusal(Kind.NOT_FOUND, "unknown_path",
                "The path " + path + " is not proxied for " + provider + " projects", null);
    }

    static ProxyRefusal methodNotAllowed(String method, String path, String allow) {
        return new ProxyRefusal(Kind.METHOD_NOT_ALLOWED, "method_not_allowed",
                method + " is not allowed on " + path + "; allowed: " + allow, allow);
    }

    static ProxyRefusal modelNotAllowed(String model) {
        return new ProxyRefusal(Kind.FORBIDDEN, "model_not_allowed",
                "The model '" + model + "' is not allowed for this project", null);
    }

    /** A deployment the project does not name (Azure OpenAI): it maps no model, so no rule could apply to it. */
    static ProxyRefusal deploymentNotNamed(String deployment) {
        return new ProxyRefusal(Kind.FORBIDDEN, "model_not_allowed",
                "The deployment '" + deployment + "' is not one of this project's deployments", null);
    }

    public static ProxyRefusal originNotAllowed(String origin) {
        return new ProxyRefusal(Kind.FORBIDDEN, "origin_not_allowed",
                "Requests from the origin " + origin + " are not allowed", null);
    }

    static ProxyRefusal noUpstreamForModel(String model) {
        return new ProxyRefusal(Kind.NOT_FOUND, "model_not_routed",
                "None of this project's upstreams serves the model '" + model + "'", null);
    }

    static ProxyRefusal circuitOpen(long openMs) {
        return new ProxyRefusal(Kind.UNAVAILABLE, "upstream_circuit_open",
                "Every upstream for this request is failing and paused (circuit breaker open); try again later",
                null, Math.max(1, (openMs + 999) / 1000));
    }

    /** A fault of the proxy itself (logged with its cause); the caller gets an answer rather than a hang. */
    static ProxyRefusal internal(String requestId) {
        return new ProxyRefusal(Kind.INTERNAL, "internal_error",
                "The proxy failed to handle this request; its log has the details under request id " + requestId, null);
    }

    static ProxyRefusal budgetUnavailable() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "budget_unavailable",
                "The budget could not be checked (the database did not answer); try again", null, 2L);
    }

    static ProxyRefusal rateLimitUnavailable() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "rate_limit_unavailable",
                "The rate limit could not be checked (its store did not answer); try again", null, 2L);
    }

    /** The record queue is full: the database is behind (or down) and a call admitted now could not be recorded. */
    static ProxyRefusal recordsBacklogged() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "records_backlogged",
                "The proxy cannot record more calls right now (its database is behind); try again shortly", null, 1L);
    }

    /**
     * The application is being undeployed or redeployed: it admits no new call, and a stream still open when it goes
     * ends with this error as its last event (see {@link OpenExchanges}).
     */
    static ProxyRefusal shuttingDown() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "proxy_shutting_down", "The proxy is shutting down (it is being"
                + " redeployed or stopped); try again shortly", null, 2L);
    }

    /** Every thread for database work is busy and its queue full: the database is slow or down. */
    static ProxyRefusal busy() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "proxy_busy",
                "The proxy is too busy to take this call now (its database is slow); try again shortly", null, 1L);
    }

    /** The database work a call needs did not finish within {@code database-deadline-ms}. */
    static ProxyRefusal databaseDeadline(long millis) {
        return new ProxyRefusal(Kind.UNAVAILABLE, "database_unavailable", "The database did not answer within "
                + millis + " ms; try again shortly", null, 2L);
    }

    /** The token could not be checked: the database did not answer. */
    static ProxyRefusal tokenCheckUnavailable() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "database_unavailable",
                "The proxy token could not be checked (the database did not answer); try again", null, 1L);
    }

    /** The body cannot be read while a limit needs what is in it: refused rather than let through unchecked. */
    static ProxyRefusal unreadableBody(String reason) {
        return new ProxyRefusal(Kind.INVALID, "unreadable_body", "The request body cannot be read: " + reason
                + "; this project's allowlists, limits or budgets need to read it", null);
    }

    static ProxyRefusal modelMissing() {
        return new ProxyRefusal(Kind.INVALID, "model_missing", "The request body names no model (a string field"
                + " 'model'); this project's allowlists, routes or limits need it", null);
    }

    static ProxyRefusal unsupportedEncoding(String coding) {
        return new ProxyRefusal(Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_content_encoding", "The request body's"
                + " Content-Encoding '" + coding + "' is not supported; send it as is, or with gzip or deflate", null);
    }

    /** The request bodies in memory reached {@code max-body-bytes-in-flight}. */
    static ProxyRefusal bodiesFull() {
        return new ProxyRefusal(Kind.UNAVAILABLE, "request_bodies_full", "The proxy holds as many request bodies as"
                + " it may right now; try again shortly", null, 1L);
    }

    /** The token has {@code max-concurrent-calls-per-token} calls running. */
    static ProxyRefusal tooManyCalls(int limit) {
        return new ProxyRefusal(Kind.RATE_LIMITED, "too_many_concurrent_calls", "This token already has " + limit
                + " calls running; wait for one to end", null, 1L);
    }

    /** The caller did not send its whole body in time. */
    static ProxyRefusal bodyTimeout(long millis) {
        return new ProxyRefusal(Kind.REQUEST_TIMEOUT, "request_body_timeout", "The request body did not arrive"
                + " within " + millis + " ms", null);
    }

    static ProxyRefusal tooLarge(long limit) {
        return new ProxyRefusal(Kind.TOO_LARGE, "request_too_large",
                "The request body exceeds the limit of " + limit + " bytes", null);
    }

    static ProxyRefusal upstreamUnavailable(String provider, String reason) {
        return new ProxyRefusal(Kind.UPSTREAM_FAILED, "upstream_unavailable",
                "Could not reach the " + provider + " provider: " + reason, null);
    }

    /** The provider's answer began and then broke off (a reset, a closed connection, a malformed chunk). */
    static ProxyRefusal upstreamBrokeOff(String provider) {
        return new ProxyRefusal(Kind.UPSTREAM_FAILED, "upstream_unavailable",
                "The " + provider + " provider's answer broke off: its connection was closed or reset", null);
    }

    static ProxyRefusal upstreamTimeout(String provider, String what, long millis) {
        return new ProxyRefusal(Kind.UPSTREAM_TIMEOUT, "upstream_timeout",
                "The " + provider + " provider did not " + what + " within " + millis + " ms", null);
    }
}
