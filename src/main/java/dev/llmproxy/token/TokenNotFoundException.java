package dev.llmproxy.token;

import dev.llmproxy.DomainException;

public final class TokenNotFoundException extends DomainException {
    public TokenNotFoundException(String id) {
        super(Kind.NOT_FOUND, "token_not_found", "No token with id '" + id + "'");
    }
}
