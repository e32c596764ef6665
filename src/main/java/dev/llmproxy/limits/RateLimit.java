package dev.llmproxy.limits;

import dev.llmproxy.InvalidFieldException;

/** Requests and tokens (prompt + completion) per minute; null means no limit of that kind. */
public record RateLimit(Integer requestsPerMinute, Integer tokensPerMinute) {
    public static final RateLimit NONE = new RateLimit(null, null);

    public RateLimit {
        if (requestsPerMinute != null && requestsPerMinute < 1) {
            throw new InvalidFieldException("rpm_limit", "must be 1 or more, or null for no limit");
        }
        if (tokensPerMinute != null && tokensPerMinute < 1) {
            throw new InvalidFieldException("tpm_limit", "must be 1 or more, or null for no limit");
        }
    }

    /** This limit with the given changes: absent keeps a value, empty clears it. */
    public RateLimit with(java.util.Optional<java.util.Optional<Long>> rpm, java.util.Optional<java.util.Optional<Long>> tpm) {
        return new RateLimit(rpm.map(v -> v.map(RateLimit::toInt).orElse(null)).orElse(requestsPerMinute),
                tpm.map(v -> v.map(RateLimit::toInt).orElse(null)).orElse(tokensPerMinute));
    }

    private static Integer toInt(Long value) {
        if (value > Integer.MAX_VALUE) {
            throw new InvalidFieldException("rpm_limit", "is too large");
        }
        return value.intValue();
    }

    public boolean isNone() {
        return requestsPerMinute == null && tokensPerMinute == null;
    }
}
