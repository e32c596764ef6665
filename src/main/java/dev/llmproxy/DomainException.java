package dev.llmproxy;

/**
 * A refusal with a stable machine-readable {@link #code()} (e.g. {@code project_not_found}) and a {@link Kind} that
 * decides its HTTP status. Capabilities throw subclasses with context; the admin API's exception mapper and the
 * proxy's error writer are the only places that turn them into responses.
 */
public abstract class DomainException extends RuntimeException {

    /** What sort of refusal, independent of HTTP; the mappers translate it. */
    public enum Kind {
        INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED, METHOD_NOT_ALLOWED, REQUEST_TIMEOUT, TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        RATE_LIMITED,
        UPSTREAM_FAILED, UPSTREAM_TIMEOUT, UNAVAILABLE, INTERNAL, NOT_IMPLEMENTED;

        /** The HTTP status both mappers use for this kind. */
        public int status() {
            return switch (this) {
                case INVALID -> 400;
                case UNAUTHORIZED -> 401;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case METHOD_NOT_ALLOWED -> 405;
                case CONFLICT -> 409;
                case REQUEST_TIMEOUT -> 408;
                case TOO_LARGE -> 413;
                case UNSUPPORTED_MEDIA_TYPE -> 415;
                case RATE_LIMITED -> 429;
                case UPSTREAM_FAILED -> 502;
                case UPSTREAM_TIMEOUT -> 504;
                case UNAVAILABLE -> 503;
                case INTERNAL -> 500;
                case NOT_IMPLEMENTED -> 501;
            };
        }
    }

    private final Kind kind;
    private final String code;
    private final Long retryAfterSeconds;

    protected DomainException(Kind kind, String code, String message) {
        this(kind, code, message, null);
    }

    /** @param retryAfterSeconds when to try again, sent as {@code Retry-After} by both mappers; null: not known */
    protected DomainException(Kind kind, String code, String message, Long retryAfterSeconds) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When to try again, if known. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
