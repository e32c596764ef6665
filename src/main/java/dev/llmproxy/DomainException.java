package dev.llmproxy;

/**
 * A refusal with a stable machine-readable {@link #code()} (e.g. {@code project_not_found}) and a {@link Kind} that
 * decides its HTTP status. Capabilities throw subclasses with context; the admin API's exception mapper and the
 * proxy's error writer are the only places that turn them into responses.
 */
public abstract class DomainException extends RuntimeException {

    /** What sort of refusal, independent of HTTP; the mappers translate it. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED }

    private final Kind kind;
    private final String code;

    protected DomainException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
