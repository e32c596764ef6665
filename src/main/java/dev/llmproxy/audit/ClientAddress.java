package dev.llmproxy.audit;

import java.util.List;
import java.util.Set;

/**
 * The client's address for the audit trail: the connection's peer, unless that peer is a configured trusted proxy,
 * in which case the rightmost {@code X-Forwarded-For} entry that is not itself a trusted proxy. A header sent by
 * anyone else is ignored: clients can write whatever they like into it.
 */
public final class ClientAddress {
    private final Set<String> trusted;

    public ClientAddress(List<String> trustedProxies) {
        this.trusted = Set.copyOf(trustedProxies);
    }

    public String of(String remoteAddr, String forwardedFor) {
        if (forwardedFor == null || !trusted.contains(remoteAddr)) {
            return remoteAddr;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trusted.contains(hop)) {
                return hop;
            }
        }
        return remoteAddr;
    }
}
