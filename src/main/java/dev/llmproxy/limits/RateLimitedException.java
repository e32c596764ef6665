package dev.llmproxy.limits;

import dev.llmproxy.DomainException;
import java.util.Map;

/** Too many requests or tokens in the current minute; carries Retry-After and the x-ratelimit-* headers. */
public final class RateLimitedException extends DomainException {
    private final transient Map<String, String> headers;

    RateLimitedException(String code, String message, Map<String, String> headers) {
        super(Kind.RATE_LIMITED, code, message);
        this.headers = Map.copyOf(headers);
    }

    public Map<String, String> headers() {
        return headers;
    }
}
