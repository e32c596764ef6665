package dev.llmproxy.project;

import dev.llmproxy.persistence.Jpa;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Checks at start-up that this instance's {@link KeyRing} is the one the database was sealed with, and opens the
 * installation's {@link DataKeys}. The first instance on a database makes them (random; or, on a database made
 * before #14, the keys its tokens and audit chain were made with, derived from the master key that sealed its
 * provider keys) and stores them sealed, with the check value of its master key. Every later start must open them:
 * an instance whose ring does not hold the key they (or any provider key) are sealed with refuses to start, saying
 * which key id the database expects and how to fix it. Two instances making them at the same moment meet the primary
 * key; the loser reads the winner's and is checked like any later start.
 */
public final class InstallationKeys {
    static final String TOKEN_HASH = "token-hash";
    static final String AUDIT_CHAIN = "audit-chain";
    static final List<String> PURPOSES = List.of(TOKEN_HASH, AUDIT_CHAIN);
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = Logger.getLogger(InstallationKeys.class.getName());

    private final Jpa jpa;
    private final KeyRing ring;
    private final KeyCipher cipher;
    private final SecureRandom random;
    private final Clock clock;

    public InstallationKeys(Jpa jpa, KeyRing ring, KeyCipher cipher, SecureRandom random, Clock clock) {
        this.jpa = jpa;
        this.ring = ring;
        this.cipher = cipher;
        this.random = random;
        this.clock = clock;
    }

    /** @throws MasterKeyMismatchException when the database was sealed with a key this instance does not hold */
    public DataKeys open() {
        for (int attempt = 1; ; attempt++) {
            try {
                return jpa.inTransaction(this::openOrCreate);
            } catch (PersistenceException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                // Another instance stored the keys in the same moment (the primary key refused ours): read theirs.
            }
        }
    }

    private DataKeys openOrCreate(EntityManager em) {
        Map<String, MasterKeyCheck> checks = em.createQuery("select c from MasterKeyCheck c", MasterKeyCheck.class)
                .getResultStream().collect(Collectors.toMap(MasterKeyCheck::keyId, c -> c));
        for (MasterKeyCheck check : checks.values()) {
            ring.byId(check.keyId()).filter(key -> !check.matches(key)).ifPresent(key -> {
                throw new MasterKeyMismatchException("Master key " + key.id() + " does not match the check value"
                        + " the database holds for that id: it is another key. Not starting; configure the key this"
                        + " database was sealed with (see docs/operations.md, \"Rotating the master key\").");
            });
        }
        Map<String, InstallationKey> stored = em.createQuery("select k from InstallationKey k", InstallationKey.class)
                .getResultStream().collect(Collectors.toMap(InstallationKey::purpose, k -> k));
        for (InstallationKey key : stored.values()) {
            if (!ring.contains(key.sealedSecret().keyId())) {
                throw mismatch(key.sealedSecret().keyId(), checks, "the installation's keys");
            }
        }
        Map<String, Long> providerKeys = KeyRotation.providerKeysByKeyId(em);
        providerKeys.forEach((keyId, count) -> {
            if (!ring.contains(keyId)) {
                throw mismatch(keyId, checks, count + " provider API key(s)");
            }
        });
        if (stored.isEmpty()) {
            create(em, providerKeys, stored);
        }
        Map<String, byte[]> opened = new LinkedHashMap<>();
        for (String purpose : PURPOSES) {
            InstallationKey key = stored.get(purpose);
            if (key == null) { // a purpose added after the database was made: a new random key
                key = new InstallationKey(purpose, randomKey(), cipher, clock.instant());
                em.persist(key);
                stored.put(purpose, key);
            }
            try {
                opened.put(purpose, key.open(cipher));
            } catch (SecretUnreadableException e) {
                throw new MasterKeyMismatchException("The installation key '" + purpose + "' cannot be opened with"
                        + " master key " + key.sealedSecret().keyId() + " (the row was altered). Not starting;"
                        + " restore the database from a backup.");
            }
        }
        ensureCheck(em, checks, ring.current());
        return new DataKeys(opened.get(TOKEN_HASH), opened.get(AUDIT_CHAIN));
    }

    /**
     * The first start on this database since #14. A database that already holds provider keys, tokens or audit
     * events keeps the keys they were made with: before #14 they were derived from the master key directly.
     */
    private void create(EntityManager em, Map<String, Long> providerKeys, Map<String, InstallationKey> stored) {
        boolean existing = !providerKeys.isEmpty() || rows(em, "tokens") > 0 || rows(em, "audit_events") > 0;
        MasterKey root = providerKeys.entrySet().stream().max(Map.Entry.comparingByValue())
                .flatMap(e -> ring.byId(e.getKey())).orElse(ring.current());
        for (String purpose : PURPOSES) {
            byte[] key = existing ? root.legacyDerive(purpose) : randomKey();
            InstallationKey row = new InstallationKey(purpose, key, cipher, clock.instant());
            em.persist(row);
            stored.put(purpose, row);
        }
        em.flush(); // a racing instance's rows make this fail here, and open() reads theirs
        if (existing) {
            LOG.info(() -> "Master keys: this database was made before key rotation existed; its token-hash and"
                    + " audit-chain keys (derived from master key " + root.id() + ") are now stored sealed under "
                    + ring.current().id() + ", so issued tokens and the audit chain stay valid across rotations");
        }
    }

    private void ensureCheck(EntityManager em, Map<String, MasterKeyCheck> checks, MasterKey key) {
        if (!checks.containsKey(key.id())) {
            em.persist(new MasterKeyCheck(key, clock.instant()));
            em.flush();
        }
    }

    private MasterKeyMismatchException mismatch(String expected, Map<String, MasterKeyCheck> checks, String what) {
        String since = checks.containsKey(expected) ? " (first used " + checks.get(expected).createdAt() + ")" : "";
        return new MasterKeyMismatchException("This database was sealed with master key " + expected + since + ": "
                + what + ". This instance holds " + ring.describe() + ", so it cannot open them, and tokens it issued"
                + " would be invalid on the instances that can. Not starting. Every instance sharing a database needs"
                + " the same key: copy the key file (<data-dir>/encryption-key) of the instance that made this"
                + " database, or set encryption-key to that key on every instance; after a rotation, list the older"
                + " key in encryption-keys-retired until POST /manage/keys/re-encrypt has re-sealed everything (see"
                + " docs/operations.md, \"Rotating the master key\").");
    }

    private byte[] randomKey() {
        byte[] key = new byte[MasterKey.BYTES];
        random.nextBytes(key);
        return key;
    }

    private static long rows(EntityManager em, String table) {
        return ((Number) em.createNativeQuery("select count(*) from " + table).getSingleResult()).longValue();
    }
}
