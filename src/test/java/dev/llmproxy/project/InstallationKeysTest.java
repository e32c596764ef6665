package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditChainHead;
import dev.llmproxy.audit.AuditEvent;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import dev.llmproxy.testing.MigratedSqlite;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database knows its master key: start-up opens the installation keys, or refuses and says why. */
class InstallationKeysTest {
    private static final List<Class<?>> ENTITIES = List.of(Project.class, Upstream.class, InstallationKey.class,
            MasterKeyCheck.class, AuditEvent.class, AuditChainHead.class);
    private static final Actor ADMIN = new Actor("tester", "127.0.0.1");

    @TempDir
    Path dir;
    private SqliteConnectionSettings ds;
    private final List<Jpa> opened = new ArrayList<>();
    private final MasterKey a = KeyCipherTest.key(1);
    private final MasterKey b = KeyCipherTest.key(2);

    @BeforeEach
    void database() {
        ds = MigratedSqlite.at(dir.resolve("keys.db"));
    }

    @AfterEach
    void close() {
        opened.forEach(Jpa::close);
    }

    private Jpa jpa() {
        Jpa jpa = Jpa.open(ds, ENTITIES);
        opened.add(jpa);
        return jpa;
    }

    private DataKeys open(KeyRing ring) {
        return new InstallationKeys(jpa(), ring, ring.cipher(new SecureRandom()), new SecureRandom(),
                Clock.systemUTC()).open();
    }

    private static KeyRing ring(MasterKey current, MasterKey... retired) {
        return new KeyRing(current, "test", List.of(retired));
    }

    @Test
    void theFirstStartMakesTheKeysAndLaterStartsWithTheSameMasterKeyGetTheSameOnes() {
        DataKeys first = open(ring(a));
        DataKeys again = open(ring(a));
        assertArrayEquals(first.tokenHash(), again.tokenHash());
        assertArrayEquals(first.auditChain(), again.auditChain());
        assertFalse(java.util.Arrays.equals(first.tokenHash(), first.auditChain()));
        assertEquals(List.of(a.id()), strings("SELECT key_id FROM master_key_checks"));
        assertEquals(List.of(a.checkValue()), strings("SELECT check_value FROM master_key_checks"),
                "the check value, never the key");
    }

    @Test
    void anInstanceWithAnotherKeyRefusesToStartNamingTheKeyTheDatabaseExpects() {
        open(ring(a));
        var e = assertThrows(MasterKeyMismatchException.class, () -> open(ring(b)));
        assertTrue(e.getMessage().contains("sealed with master key " + a.id()), e.getMessage());
        assertTrue(e.getMessage().contains(b.id()), "names the key it holds: " + e.getMessage());
        assertTrue(e.getMessage().contains("encryption-key"), "says how to fix it: " + e.getMessage());
        assertEquals(List.of(a.id()), strings("SELECT key_id FROM master_key_checks"), "nothing written");
    }

    @Test
    void aKeyThatDoesNotMatchTheStoredCheckValueIsRefused() throws Exception {
        open(ring(a));
        sql("UPDATE master_key_checks SET check_value = '" + "0".repeat(64) + "'");
        var e = assertThrows(MasterKeyMismatchException.class, () -> open(ring(a)));
        assertTrue(e.getMessage().contains("does not match the check value"), e.getMessage());
    }

    @Test
    void rotationRoundTripKeepsTheDataKeysAndReSealsEverything() {
        KeyRing onlyA = ring(a);
        DataKeys before = open(onlyA);
        Jpa jpa = jpa();
        KeyCipher cipherA = onlyA.cipher(new SecureRandom());
        String projectId = jpa.inTransaction(em -> {
            Project p = new Project("p", Provider.OPENAI, null, "sk-under-a-123", cipherA, Instant.now());
            p.addUpstream("second", Provider.OPENAI, null, "sk-second-456", List.of(), 1, cipherA, Instant.now());
            em.persist(p);
            return p.id();
        });

        KeyRing rotated = ring(b, a);
        DataKeys during = open(rotated);
        assertArrayEquals(before.tokenHash(), during.tokenHash(), "tokens issued under A stay valid");
        assertArrayEquals(before.auditChain(), during.auditChain(), "the audit chain stays verifiable");
        KeyCipher cipherB = rotated.cipher(new SecureRandom());
        AuditLog audit = new AuditLog(jpa, during.auditChain(), Clock.systemUTC());
        KeyRotation rotation = new KeyRotation(jpa, audit, rotated, cipherB, Clock.systemUTC());
        assertEquals(4, rotation.status().pendingReEncryption(), "2 provider keys and 2 installation keys under A");

        KeyRotation.ReEncryption done = rotation.reEncrypt(ADMIN);
        assertEquals(2, done.providerKeysResealed());
        assertEquals(2, done.installationKeysResealed());
        assertEquals(List.of(a.id()), done.fromKeyIds());
        assertEquals(0, done.status().pendingReEncryption());
        assertTrue(done.status().olderKeysRetirable());
        assertEquals(0, rotation.reEncrypt(ADMIN).providerKeysResealed(), "a second run has nothing to do");

        KeyRing onlyB = ring(b);
        DataKeys after = open(onlyB);
        assertArrayEquals(before.tokenHash(), after.tokenHash());
        assertArrayEquals(before.auditChain(), after.auditChain());
        KeyCipher cipherOnlyB = onlyB.cipher(new SecureRandom());
        List<String> keys = jpa().inTransaction(em -> em.find(Project.class, projectId).upstreams().stream()
                .map(u -> u.apiKey(cipherOnlyB)).toList());
        assertEquals(List.of("sk-under-a-123", "sk-second-456"), keys);
        assertTrue(new AuditLog(jpa(), after.auditChain(), Clock.systemUTC()).verify().valid());
        assertEquals(2, count("SELECT COUNT(*) FROM audit_events WHERE action = 'keys.re_encrypted'"),
                "each re-encryption is audited");
    }

    @Test
    void anUnreadableProviderKeyStopsTheReEncryptionWithNothingReSealed() throws Exception {
        KeyRing onlyA = ring(a);
        open(onlyA);
        Jpa jpa = jpa();
        KeyCipher cipherA = onlyA.cipher(new SecureRandom());
        jpa.run(em -> em.persist(new Project("p", Provider.OPENAI, null, "sk-under-a-123", cipherA, Instant.now())));
        sql("UPDATE project_upstreams SET api_key_ciphertext = 'v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'");
        KeyRing rotated = ring(b, a);
        DataKeys keys = open(rotated);
        KeyRotation rotation = new KeyRotation(jpa, new AuditLog(jpa, keys.auditChain(), Clock.systemUTC()), rotated,
                rotated.cipher(new SecureRandom()), Clock.systemUTC());
        var e = assertThrows(SecretUnreadableDuringReEncryptionException.class, () -> rotation.reEncrypt(ADMIN));
        assertEquals("secret_unreadable", e.code());
        assertTrue(e.getMessage().contains("Nothing was re-encrypted"), e.getMessage());
        assertEquals(List.of(a.id()), strings("SELECT DISTINCT key_id FROM installation_keys"), "rolled back");
        assertEquals(0, count("SELECT COUNT(*) FROM audit_events WHERE action = 'keys.re_encrypted'"));
    }

    @Test
    void withoutReEncryptingAnInstanceWithOnlyTheNewKeyRefusesAndSaysWhichKeyIsMissing() {
        open(ring(a));
        open(ring(b, a));
        var e = assertThrows(MasterKeyMismatchException.class, () -> open(ring(b)));
        assertTrue(e.getMessage().contains(a.id()), e.getMessage());
        assertTrue(e.getMessage().contains("encryption-keys-retired"), e.getMessage());
    }

    @Test
    void aDatabaseMadeBeforeKeyRotationKeepsTheKeysItsTokensAndAuditChainWereMadeWith() throws Exception {
        // Before #14: no installation keys or check values; the provider keys say which master key sealed them.
        KeyCipher legacy = ring(a).cipher(new SecureRandom());
        Project p = jpa().inTransaction(em -> {
            Project project = new Project("old", Provider.OPENAI, null, "sk-old-123456", legacy, Instant.now());
            em.persist(project);
            return project;
        });
        sql("DELETE FROM installation_keys");
        sql("DELETE FROM master_key_checks");
        DataKeys adopted = open(ring(b, a));
        assertArrayEquals(a.legacyDerive("token-hash"), adopted.tokenHash(), "derived as before #14, from A");
        assertArrayEquals(a.legacyDerive("audit-chain"), adopted.auditChain());
        assertEquals("sk-old-123456", jpa().inTransaction(em -> em.find(Project.class, p.id()).primaryUpstream()
                .apiKey(ring(b, a).cipher(new SecureRandom()))));
    }

    @Test
    void twoInstancesWithDifferentKeysStartingTogetherOnAnEmptyDatabaseOneStartsTheOtherRefuses() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (MasterKey key : List.of(a, b)) {
                Callable<String> start = () -> {
                    together.await();
                    try {
                        open(ring(key));
                        return "started";
                    } catch (MasterKeyMismatchException e) {
                        return "refused";
                    }
                };
                outcomes.add(pool.submit(start));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : outcomes) {
                results.add(f.get());
            }
            assertEquals(List.of("refused", "started"), results.stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    private long count(String query) {
        return Long.parseLong(strings(query).get(0));
    }

    private List<String> strings(String query) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
