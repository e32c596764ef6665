package dev.llmproxy.token;

import dev.llmproxy.persistence.Jpa;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code request_count} and {@code last_used_at} of tokens without a request limit, counted in memory and written
 * in one transaction a second, so that unlimited tokens cost no database write per request. Limited tokens are
 * counted exactly, per request, by {@link TokenRepository#consumeOne}.
 */
public final class UsageTouches {
    private static final Logger LOG = Logger.getLogger(UsageTouches.class.getName());

    private record Pending(long count, Instant lastUsed) {
        Pending plus(Pending other) {
            return new Pending(count + other.count, lastUsed.isAfter(other.lastUsed) ? lastUsed : other.lastUsed);
        }
    }

    private final Jpa jpa;
    private final TokenRepository repository;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public UsageTouches(Jpa jpa, TokenRepository repository) {
        this.jpa = jpa;
        this.repository = repository;
    }

    public void touch(String tokenId, Instant now) {
        pending.merge(tokenId, new Pending(1, now), Pending::plus);
    }

    /** Writes what has accumulated; what fails to write is put back for the next flush. */
    public void flush() {
        for (String tokenId : pending.keySet()) {
            Pending taken = pending.remove(tokenId);
            if (taken == null) {
                continue;
            }
            try {
                jpa.run(em -> repository.addUsage(em, tokenId, taken.count(), taken.lastUsed()));
            } catch (RuntimeException e) {
                pending.merge(tokenId, taken, Pending::plus);
                LOG.log(Level.WARNING, "Could not record token usage for " + tokenId + "; will retry", e);
                return;
            }
        }
    }
}
