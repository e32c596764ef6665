package dev.llmproxy;

/** A request field with a missing or bad value; the message says what is wrong without echoing secrets. */
public final class InvalidFieldException extends DomainException {
    private final String field;

    public InvalidFieldException(String field, String problem) {
        super(Kind.INVALID, "invalid_field", "'" + field + "' " + problem);
        this.field = field;
    }

    /** The JSON field name, snake_case as in the API. */
    public String field() {
        return field;
    }
}
