package dev.llmproxy.routing;

import java.util.Set;

/**
 * Whether a failed attempt may be sent again (to the same upstream or the next) without risking a second bill (#14).
 * An idempotent request (GET, HEAD) is retried after any failure worth retrying. A request that is not (POST: a
 * completion the provider may bill) is retried only when the provider certainly did not process it:
 * <ul>
 *   <li>it never received the request whole: no connection (refused, DNS, TLS handshake, connect timeout) or the
 *       request failed before its body was completely sent;</li>
 *   <li>it answered with a status its provider documents as "not processed": 429 (OpenAI: "You are sending requests
 *       too quickly", https://platform.openai.com/docs/guides/error-codes; Anthropic {@code rate_limit_error},
 *       https://docs.anthropic.com/en/api/errors: "Your account has hit a rate limit"), 503 (OpenAI: "Our servers are
 *       experiencing high traffic", and "Slow Down")
 *       and 529 (Anthropic {@code overloaded_error}: "The API is temporarily overloaded"); and 408, which RFC 9110
 *       §15.5.9 defines as "the server did not receive a complete request message within the time that it was
 *       prepared to wait".</li>
 * </ul>
 * After a response timeout, a reset or end of stream once the body was sent, or a 500 (OpenAI: "Issue on our
 * servers"; Anthropic {@code api_error}: "An unexpected error has occurred internal to Anthropic's systems"), 502
 * (a gateway in front of the provider got no valid answer from it: the provider may be generating one) or 504 (a
 * gateway stopped waiting: the same), the provider may have done the work and billed it; such a POST is not sent
 * again unless {@code upstream-retry-unsafe} or the project's {@code retry_unsafe} allows it.
 *
 * @param idempotent    the request's method is idempotent (RFC 9110 §9.2.2)
 * @param unsafeAllowed a failure that may have been processed may still be retried
 */
public record RetryPolicy(boolean idempotent, boolean unsafeAllowed) {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    public static RetryPolicy of(String method, boolean unsafeAllowed) {
        return new RetryPolicy(IDEMPOTENT.contains(method), unsafeAllowed);
    }

    /** Statuses worth another try: the provider is busy, rate-limited or failing, not the request wrong. */
    public static boolean worthRetrying(int status) {
        return notProcessed(status) || status == 500 || status == 502 || status == 504;
    }

    /** Statuses that say the provider did not process the request (see the class comment for the sources). */
    public static boolean notProcessed(int status) {
        return status == 408 || status == 429 || status == 503 || status == 529;
    }

    /** Whether an answer with this status may be dropped for another attempt. */
    public boolean retriesStatus(int status) {
        return worthRetrying(status) && (idempotent || unsafeAllowed || notProcessed(status));
    }

    /**
     * Whether an attempt that failed before its answer began may be sent again.
     *
     * @param requestLeft whether any of the request (its headers are written first) had left the proxy before the
     *                    failure: from then on the provider may have received it whole and processed it
     */
    public boolean retriesFailure(boolean requestLeft) {
        return idempotent || unsafeAllowed || !requestLeft;
    }
}
