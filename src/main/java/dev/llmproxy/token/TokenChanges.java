package dev.llmproxy.token;

import java.time.Instant;
import java.util.Optional;

/** A partial update of a token: only the present fields change; an empty inner value clears. */
public record TokenChanges(Optional<Optional<String>> name, Optional<Optional<Long>> maxRequests,
                           Optional<Instant> expiresAt, Optional<Optional<dev.llmproxy.limits.Budget>> budget,
                           Optional<Optional<Long>> rpmLimit, Optional<Optional<Long>> tpmLimit) {}
