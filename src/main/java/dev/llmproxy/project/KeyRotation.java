package dev.llmproxy.project;

import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.AuditEntry;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.persistence.Jpa;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Master key rotation's use cases: what is sealed under which key, and re-sealing every stored provider key and
 * installation key under the current one (one audited transaction), after which older keys can be retired.
 */
public final class KeyRotation {
    private static final String V2_PATTERN = SealedSecret.V2_PREFIX + "%";

    private final Jpa jpa;
    private final AuditLog audit;
    private final KeyRing ring;
    private final KeyCipher cipher;
    private final Clock clock;

    public KeyRotation(Jpa jpa, AuditLog audit, KeyRing ring, KeyCipher cipher, Clock clock) {
        this.jpa = jpa;
        this.audit = audit;
        this.ring = ring;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The outcome of a re-encryption, and the state after it. */
    public record ReEncryption(String keyId, int providerKeysResealed, int installationKeysResealed,
                               List<String> fromKeyIds, KeyStatus status) {}

    public KeyStatus status() {
        return jpa.inTransaction(this::status);
    }

    /**
     * Re-seals, under the current key and format, every provider key and installation key that is not. A provider key
     * replaced in the same moment (by an admin, on another instance) is left as that change sealed it.
     */
    public ReEncryption reEncrypt(Actor actor) {
        for (int attempt = 1; ; attempt++) {
            try {
                return reEncryptOnce(actor);
            } catch (jakarta.persistence.PersistenceException e) {
                // Another instance re-sealed an installation key in the same moment (its version moved on): the
                // next round finds it done. Anything else is not ours to retry.
                if (attempt >= 3 || !causedByOptimisticLock(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean causedByOptimisticLock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof org.hibernate.StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private ReEncryption reEncryptOnce(Actor actor) {
        ReEncryption done = audit.audited(actor, em -> {
            String current = ring.current().id();
            TreeSet<String> from = new TreeSet<>();
            int provider = 0;
            List<Upstream> stale = em.createQuery("select u from Upstream u where u.apiKeyKeyId <> :current"
                    + " or u.apiKeyCiphertext not like :v2", Upstream.class)
                    .setParameter("current", current).setParameter("v2", V2_PATTERN).getResultList();
            for (Upstream u : stale) {
                SealedSecret old = u.sealedApiKey();
                SealedSecret fresh;
                try {
                    fresh = u.resealedApiKey(cipher);
                } catch (SecretUnreadableException e) {
                    throw new SecretUnreadableDuringReEncryptionException(u, e);
                }
                // Compare-and-set, not a change of the entity: its version (and so its circuit breaker) stays.
                provider += em.createQuery("update Upstream u set u.apiKeyCiphertext = :fresh, u.apiKeyKeyId = :key"
                        + " where u.id = :id and u.apiKeyCiphertext = :old")
                        .setParameter("fresh", fresh.ciphertext()).setParameter("key", fresh.keyId())
                        .setParameter("id", u.id()).setParameter("old", old.ciphertext()).executeUpdate();
                from.add(old.keyId());
            }
            int installation = 0;
            for (InstallationKey k : em.createQuery("select k from InstallationKey k", InstallationKey.class)
                    .getResultList()) {
                if (!cipher.isCurrent(k.sealedSecret())) {
                    from.add(k.sealedSecret().keyId());
                    k.reseal(cipher, clock.instant());
                    installation++;
                }
            }
            if (em.find(MasterKeyCheck.class, current) == null) {
                em.persist(new MasterKeyCheck(ring.current(), clock.instant()));
            }
            em.flush();
            return new ReEncryption(current, provider, installation, List.copyOf(from), null);
        }, r -> AuditEntry.success(AuditAction.KEYS_RE_ENCRYPTED, "master_key", r.keyId(), AuditEntry.details(
                "provider_keys_resealed", r.providerKeysResealed(),
                "installation_keys_resealed", r.installationKeysResealed(), "from_key_ids", r.fromKeyIds())));
        return new ReEncryption(done.keyId(), done.providerKeysResealed(), done.installationKeysResealed(),
                done.fromKeyIds(), status());
    }

    private KeyStatus status(EntityManager em) {
        Map<String, Long> provider = providerKeysByKeyId(em);
        Map<String, Long> legacy = grouped(em.createQuery("select u.apiKeyKeyId, count(u) from Upstream u"
                + " where u.apiKeyCiphertext not like :v2 group by u.apiKeyKeyId", Object[].class)
                .setParameter("v2", V2_PATTERN).getResultList());
        List<InstallationKey> installation = em.createQuery("select k from InstallationKey k", InstallationKey.class)
                .getResultList();
        Map<String, MasterKeyCheck> checks = em.createQuery("select c from MasterKeyCheck c", MasterKeyCheck.class)
                .getResultStream().collect(Collectors.toMap(MasterKeyCheck::keyId, c -> c));
        TreeSet<String> ids = new TreeSet<>(provider.keySet());
        installation.forEach(k -> ids.add(k.sealedSecret().keyId()));
        ids.addAll(checks.keySet());
        ids.addAll(ring.retiredIds());
        ids.remove(ring.current().id());
        List<String> ordered = new ArrayList<>(List.of(ring.current().id()));
        ordered.addAll(ids);
        List<KeyStatus.KeyUse> keys = new ArrayList<>();
        for (String id : ordered) {
            String state = id.equals(ring.current().id()) ? "current" : ring.contains(id) ? "retired" : "not_configured";
            long inst = installation.stream().filter(k -> k.sealedSecret().keyId().equals(id)).count();
            MasterKeyCheck check = checks.get(id);
            keys.add(new KeyStatus.KeyUse(id, state, provider.getOrDefault(id, 0L), legacy.getOrDefault(id, 0L), inst,
                    check == null ? null : check.createdAt()));
        }
        long pending = provider.entrySet().stream().filter(e -> !e.getKey().equals(ring.current().id()))
                .mapToLong(Map.Entry::getValue).sum()
                + legacy.getOrDefault(ring.current().id(), 0L)
                + installation.stream().filter(k -> !cipher.isCurrent(k.sealedSecret())).count();
        return new KeyStatus(ring.current().id(), keys, pending);
    }

    /** How many provider API keys each master key id sealed. */
    static Map<String, Long> providerKeysByKeyId(EntityManager em) {
        return grouped(em.createQuery("select u.apiKeyKeyId, count(u) from Upstream u group by u.apiKeyKeyId",
                Object[].class).getResultList());
    }

    private static Map<String, Long> grouped(List<Object[]> rows) {
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
        return counts;
    }
}
