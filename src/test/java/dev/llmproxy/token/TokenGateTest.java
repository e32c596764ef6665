package dev.llmproxy.token;

import dev.llmproxy.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditChainHead;
import dev.llmproxy.audit.AuditEvent;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.ProjectRepository;
import dev.llmproxy.project.Projects;
import dev.llmproxy.project.Provider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The gate's rules on a real SQLite file, with a clock the test moves. */
class TokenGateTest {
    private static final Actor ACTOR = new Actor("test", "127.0.0.1");
    private static final Duration GRACE = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private Jpa jpa;
    private TokenGate gate;
    private Tokens tokens;
    private Projects projects;
    private UsageTouches touches;

    @BeforeEach
    void setUp() {
        SQLiteDataSource raw = new SQLiteDataSource();
        raw.setUrl("jdbc:sqlite:" + dir.resolve("gate.db"));
        var ds = new SqliteConnectionSettings(switchable(raw), 5000);
        new SchemaMigrator().migrate(ds, DatabaseKind.SQLITE);
        jpa = Jpa.open(ds, List.of(Project.class, dev.llmproxy.project.Upstream.class, Token.class, AuditEvent.class, AuditChainHead.class));
        var random = new SecureRandom();
        KeyCipher cipher = new KeyCipher(new byte[32], random);
        var secrets = new TokenSecrets(new byte[32], random);
        var tokenRepository = new TokenRepository();
        touches = new UsageTouches(jpa, tokenRepository);
        gate = new TokenGate(secrets, jpa, tokenRepository, cipher, touches, clock, Runnable::run, GRACE);
        var audit = new AuditLog(jpa, new byte[32], clock);
        projects = new Projects(jpa, audit, new ProjectRepository(), cipher, clock, gate);
        tokens = new Tokens(jpa, audit, tokenRepository, new ProjectRepository(), secrets, gate, clock);
    }

    /** The database as the gate sees it: gone (every connection refused) while {@link #databaseGone} is set. */
    private volatile boolean databaseGone;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    private DataSource switchable(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                        if (databaseGone) {
                            throw new SQLException("Connection refused", "08001");
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void tearDown() {
        jpa.close();
    }

    private String projectId() {
        return projects.create(ACTOR, "p" + System.nanoTime(), Provider.OPENAI, null, "sk-upstream-0123456789",
                List.of(), List.of(), java.util.Optional.empty()).id();
    }

    private TokenRefusedException.Reason refusal(String token) {
        return assertThrows(TokenRefusedException.class, () -> gate.admit(token)).reason();
    }

    @Test
    void missingMalformedAndUnknownTokensAreRefused() {
        assertEquals(TokenRefusedException.Reason.MISSING, refusal(null));
        assertEquals(TokenRefusedException.Reason.INVALID, refusal("sk-not-ours"));
        assertEquals(TokenRefusedException.Reason.INVALID, refusal("lpt_" + "A".repeat(43)));
    }

    @Test
    void admittedGrantCarriesTheProjectKeyAndExpiryIsChecked() {
        var issued = tokens.issue(ACTOR, projectId(), clock.instant().plus(Duration.ofMinutes(5)), null, "t", Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        TokenGrant grant = gate.admit(issued.plainToken());
        assertEquals("sk-upstream-0123456789", grant.upstreams().get(0).apiKey());
        assertEquals("https://api.openai.com", grant.upstreams().get(0).baseUrl());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(TokenRefusedException.Reason.EXPIRED, refusal(issued.plainToken()));
    }

    @Test
    void revocationAndDeactivationOnThisInstanceBiteAtOnce() {
        String project = projectId();
        var a = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        var b = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        gate.admit(a.plainToken());
        gate.admit(b.plainToken());
        tokens.revoke(ACTOR, a.token().id());
        assertEquals(TokenRefusedException.Reason.REVOKED, refusal(a.plainToken()));
        projects.update(ACTOR, project, new dev.llmproxy.project.ProjectChanges(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(false)));
        assertEquals(TokenRefusedException.Reason.PROJECT_INACTIVE, refusal(b.plainToken()));
    }

    @Test
    void limitedTokensCountExactlyAndUnlimitedOnesAreBatched() {
        String project = projectId();
        var limited = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), 2L, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        gate.admit(limited.plainToken());
        gate.admit(limited.plainToken());
        assertEquals(TokenRefusedException.Reason.QUOTA_EXHAUSTED, refusal(limited.plainToken()));
        assertEquals(2, tokens.get(limited.token().id()).requestCount());

        var unlimited = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        for (int i = 0; i < 5; i++) {
            gate.admit(unlimited.plainToken());
        }
        assertEquals(0, tokens.get(unlimited.token().id()).requestCount(), "not written per request");
        touches.flush();
        Token after = tokens.get(unlimited.token().id());
        assertEquals(5, after.requestCount());
        assertEquals(clock.instant(), after.lastUsedAt().orElseThrow());
    }

    @Test
    void revokingAllTokensOfAProjectCountsThem() {
        String project = projectId();
        tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        var kept = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        tokens.revoke(ACTOR, kept.token().id());
        tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        assertEquals(2, tokens.revokeAllOfProject(ACTOR, project));
        assertEquals(0, tokens.revokeAllOfProject(ACTOR, project));
    }

    @Test
    void whileTheDatabaseIsGoneACheckedTokenIsAdmittedFromItsLastCheckForTheGraceAndNoLonger() {
        String project = projectId();
        var checked = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null, Optional.empty(),
                dev.llmproxy.limits.RateLimit.NONE);
        var neverChecked = tokens.issue(ACTOR, project, clock.instant().plusSeconds(600), null, null,
                Optional.empty(), dev.llmproxy.limits.RateLimit.NONE);
        gate.admit(checked.plainToken());
        databaseGone = true;

        clock.advance(Duration.ofSeconds(2));
        assertTrue(gate.admitFromCache(checked.plainToken()).isEmpty(),
                "a check older than a second is made again while nothing says the database is gone");
        assertEquals(checked.token().id(), gate.admit(checked.plainToken()).tokenId(),
                "the database fails: the last check, 2 s old, is within the grace");
        assertTrue(gate.failingSince().isPresent());
        assertTrue(gate.admitFromCache(checked.plainToken()).isPresent(),
                "once checks fail, the cache answers within the grace without trying the database per call");
        TokenCheckUnavailableException unchecked = assertThrows(TokenCheckUnavailableException.class,
                () -> gate.admit(neverChecked.plainToken()));
        assertEquals("database_unavailable", unchecked.code());
        assertEquals(503, unchecked.kind().status());
        assertTrue(unchecked.retryAfterSeconds() > 0);

        clock.advance(GRACE.minusSeconds(2));
        assertTrue(gate.admitFromCache(checked.plainToken()).isPresent(), "exactly the grace after the check");
        clock.advance(Duration.ofMillis(1));
        assertTrue(gate.admitFromCache(checked.plainToken()).isEmpty(), "past the grace the cache does not answer");
        assertThrows(TokenCheckUnavailableException.class, () -> gate.admit(checked.plainToken()));

        databaseGone = false;
        assertEquals(neverChecked.token().id(), gate.admit(neverChecked.plainToken()).tokenId());
        assertTrue(gate.failingSince().isEmpty(), "a check that succeeds ends the outage");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(gate.admitFromCache(neverChecked.plainToken()).isEmpty(), "and the one-second rule is back");
    }

    @Test
    void aRevocationMadeElsewhereBitesAsSoonAsTheDatabaseAnswersAgain() {
        var issued = tokens.issue(ACTOR, projectId(), clock.instant().plusSeconds(600), null, null, Optional.empty(),
                dev.llmproxy.limits.RateLimit.NONE);
        gate.admit(issued.plainToken());
        // another instance revokes it, without this gate being told
        jpa.run(em -> new TokenRepository().require(em, issued.token().id()).revoke(clock.instant()));
        databaseGone = true;
        clock.advance(Duration.ofSeconds(5));
        gate.admit(issued.plainToken()); // the outage: the last check, within the grace, still says usable
        databaseGone = false;
        assertTrue(gate.admitFromCache(issued.plainToken()).isPresent(),
                "nothing has told the gate that the database is back: the cache answers within the grace");
        assertEquals(TokenRefusedException.Reason.REVOKED, refusal(issued.plainToken()),
                "the database answers: the revocation is seen");
        assertEquals(TokenRefusedException.Reason.REVOKED, assertThrows(TokenRefusedException.class,
                () -> gate.admitFromCache(issued.plainToken())).reason());
    }

    @Test
    void aCountedTokenNeedsTheDatabaseEveryTime() {
        var limited = tokens.issue(ACTOR, projectId(), clock.instant().plusSeconds(600), 5L, null, Optional.empty(),
                dev.llmproxy.limits.RateLimit.NONE);
        gate.admit(limited.plainToken());
        databaseGone = true;
        assertTrue(gate.admitFromCache(limited.plainToken()).isEmpty());
        assertThrows(TokenCheckUnavailableException.class, () -> gate.admit(limited.plainToken()),
                "max_requests is counted in the database: without it the call is refused, not let through");
    }

    @Test
    void concurrentCallersOfOneTokenWaitForOneCheck() throws Exception {
        var issued = tokens.issue(ACTOR, projectId(), clock.instant().plusSeconds(600), null, null, Optional.empty(),
                dev.llmproxy.limits.RateLimit.NONE);
        gate.admit(issued.plainToken());
        clock.advance(Duration.ofSeconds(2)); // the check is stale: the next callers need the database
        connections.set(0);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<TokenGrant>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(pool.submit(() -> gate.admit(issued.plainToken())));
            }
            for (var call : calls) {
                assertEquals(issued.token().id(), call.get().tokenId());
            }
        } finally {
            pool.shutdownNow();
        }
        // one check, and at most a background refresh or two on a slow machine: not one per caller
        assertTrue(connections.get() <= 3, connections.get() + " connections for 64 callers of one token");
    }
}
