package dev.llmproxy.audit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refused proxy tokens and management logins, counted per (action, client IP) and audited once per window with the
 * count: a burst of guesses is one event that says how many, not thousands of rows.
 */
public final class SecurityEvents {
    private static final Logger LOG = Logger.getLogger(SecurityEvents.class.getName());
    private final AuditLog audit;
    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    private record Key(AuditAction action, String clientIp, String reason) {}

    public SecurityEvents(AuditLog audit) {
        this.audit = audit;
    }

    public void refused(AuditAction action, String clientIp, String reason) {
        counts.computeIfAbsent(new Key(action, clientIp, reason), k -> new AtomicLong()).incrementAndGet();
    }

    /** Writes one event per key seen since the last flush. */
    public void flush() {
        for (Key key : counts.keySet()) {
            AtomicLong count = counts.remove(key);
            if (count == null) {
                continue;
            }
            try {
                audit.record(new Actor("anonymous", key.clientIp()), new AuditEntry(key.action(), null, null,
                        "denied", Map.of("reason", key.reason(), "attempts", count.get())));
            } catch (RuntimeException e) {
                counts.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(count.get());
                LOG.log(Level.WARNING, "Could not write a security audit event; will retry", e);
                return;
            }
        }
    }
}
