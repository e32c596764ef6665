package dev.llmproxy.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refused proxy tokens and management logins, counted per (action, reason) and audited once per window: a burst of
 * guesses from any number of addresses is one event per reason that says how many attempts, from how many addresses,
 * and which addresses tried most ({@value #TOP} at most) — not a row per address, which an attacker with many
 * addresses could multiply. At most {@value #MAX_ADDRESSES} addresses are told apart per window; the rest are counted
 * together.
 */
public final class SecurityEvents {
    static final int TOP = 10;
    static final int MAX_ADDRESSES = 10_000;
    private static final String OTHER_ADDRESSES = "other";
    private static final Logger LOG = Logger.getLogger(SecurityEvents.class.getName());
    private final AuditLog audit;
    private final Map<Key, Map<String, AtomicLong>> counts = new ConcurrentHashMap<>();

    private record Key(AuditAction action, String reason) {}

    public SecurityEvents(AuditLog audit) {
        this.audit = audit;
    }

    public void refused(AuditAction action, String clientIp, String reason) {
        Map<String, AtomicLong> byAddress = counts.computeIfAbsent(new Key(action, reason),
                k -> new ConcurrentHashMap<>());
        String address = byAddress.size() < MAX_ADDRESSES || byAddress.containsKey(clientIp) ? clientIp
                : OTHER_ADDRESSES;
        byAddress.computeIfAbsent(address, a -> new AtomicLong()).incrementAndGet();
    }

    /** Writes one event per (action, reason) seen since the last flush. */
    public void flush() {
        for (Key key : counts.keySet()) {
            Map<String, AtomicLong> byAddress = counts.remove(key);
            if (byAddress == null) {
                continue;
            }
            try {
                audit.record(actor(byAddress), new AuditEntry(key.action(), null, null, "denied",
                        details(key, byAddress)));
            } catch (RuntimeException e) {
                byAddress.forEach((address, n) -> counts.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(address, a -> new AtomicLong()).addAndGet(n.get()));
                LOG.log(Level.WARNING, "Could not write a security audit event; will retry", e);
                return;
            }
        }
    }

    /** The one address, when there was one; otherwise "several". */
    private static Actor actor(Map<String, AtomicLong> byAddress) {
        return new Actor("anonymous", byAddress.size() == 1 ? byAddress.keySet().iterator().next() : "several");
    }

    private static Map<String, Object> details(Key key, Map<String, AtomicLong> byAddress) {
        long attempts = byAddress.values().stream().mapToLong(AtomicLong::get).sum();
        List<Map<String, Object>> top = new ArrayList<>();
        byAddress.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, AtomicLong> e) -> e.getValue().get()).reversed())
                .limit(TOP)
                .forEach(e -> {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("client_ip", e.getKey());
                    one.put("attempts", e.getValue().get());
                    top.add(one);
                });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", key.reason());
        details.put("attempts", attempts);
        details.put("addresses", byAddress.size());
        details.put("top", top);
        return details;
    }
}
