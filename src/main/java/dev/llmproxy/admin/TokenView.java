package dev.llmproxy.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmproxy.token.Token;
import java.time.Instant;

/**
 * A token as the admin API shows it. {@code token} (the plain value) is present only in the response that issues
 * it; afterwards only {@code token_hint} identifies it.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record TokenView(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String token, String tokenHint,
                        String projectId, String name, Instant createdAt, Instant updatedAt, Instant expiresAt,
                        Long maxRequests, long requestCount, Instant lastUsedAt, Instant revokedAt,
                        boolean isActive, java.math.BigDecimal budgetUsd, String budgetPeriod, Integer rpmLimit,
                        Integer tpmLimit) {

    static TokenView of(Token t, Instant now) {
        return withSecret(t, null, now);
    }

    static TokenView withSecret(Token t, String plain, Instant now) {
        return new TokenView(t.id(), plain, t.tokenHint(), t.projectId(), t.name().orElse(null), t.createdAt(),
                t.updatedAt(), t.expiresAt(), t.maxRequests().orElse(null), t.requestCount(),
                t.lastUsedAt().orElse(null), t.revokedAt().orElse(null), t.isActiveAt(now),
                t.budget().map(b -> b.usd()).orElse(null), t.budget().map(b -> b.period().id()).orElse(null),
                t.rateLimit().requestsPerMinute(), t.rateLimit().tokensPerMinute());
    }
}
