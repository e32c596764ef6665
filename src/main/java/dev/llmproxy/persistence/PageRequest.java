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

    public int offset() {
        return (page - 1) * pageSize;
    }
}
