package dev.llmproxy.usage;

import dev.llmproxy.InvalidFieldException;
import java.time.Instant;
import java.util.Optional;

/** Which records a report covers: {@code [from, to)} and optional project, token, model and API. */
public record UsageFilter(Optional<Instant> from, Optional<Instant> to, Optional<String> projectId,
                          Optional<String> tokenId, Optional<String> model, Optional<String> api) {
    public UsageFilter {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new InvalidFieldException("from", "must be before 'to'");
        }
    }
}
