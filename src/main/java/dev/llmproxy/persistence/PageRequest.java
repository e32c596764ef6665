package dev.llmproxy.persistence;

import dev.llmproxy.InvalidFieldException;

/** A 1-based page of a list, validated: {@code page >= 1}, {@code 1 <= page_size <= 500}. */
public record PageRequest(int page, int pageSize) {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public PageRequest {
        if (page < 1) {
            throw new InvalidFieldException("page", "must be 1 or more, got " + page);
        }
        if (pageSize < 1 || pageSize > MAX_SIZE) {
            throw new InvalidFieldException("page_size", "must be from 1 to " + MAX_SIZE + ", got " + pageSize);
        }
    }

    /**
     * From query parameters as sent; JAX-RS would answer a non-number in an {@code int} parameter with 404, so they
     * are parsed here to name the field instead.
     */
    public static PageRequest parse(String page, String pageSize) {
        return new PageRequest(number("page", page, 1), number("page_size", pageSize, DEFAULT_SIZE));
    }

    private static int number(String field, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(field, "must be a whole number, got '" + value + "'");
        }
    }

    public int offset() {
        return (page - 1) * pageSize;
    }
}
