package dev.llmproxy.token;

/** A newly issued token with its plain value, which exists only in this response. */
public record IssuedToken(Token token, String plainToken) {
    @Override
    public String toString() {
        return "IssuedToken[" + token.tokenHint() + "]";
    }
}
