package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under steady load and comes back (#14, part 3): ten callers, four of them streaming, call
 * without pause while the test's own PostgreSQL server is stopped and started again, refuses writes for 30 s as a
 * server demoted to a read-only standby does, or is frozen (a host that hangs: answered at the deadline). Every call is answered within {@link #ANSWER_BOUND_MS} (no hang, no
 * connection closed without an answer, never a 500); a token checked in the last {@link #GRACE_SECONDS} s goes on
 * working, one that was never checked is refused with 503 {@code database_unavailable} at once, budgets and shared
 * rate limits fail closed with 503; once the database is back the proxy serves again by itself, and every call
 * answered 200 is in the request records. The IT classes that run it deploy against a {@link PrivatePostgres} with
 * {@link DatabaseOutageLoad#SETTINGS}.
 */
interface DatabaseRestartContract extends DatabaseOutageLoad {
    /** The server behind the deployment, which the test stops and starts. */
    PrivatePostgres postgres();

    @Test
    default void postgresRestartedUnderLoadAnswersEveryCallAndRecordsEveryAnswer() throws Exception {
        Tokens tokens = tokens("restart");
        Run run = throughFault("restart", tokens, postgres()::stop, 12_000, false,
                () -> List.of(timed(() -> admin().get("/health/ready")), timed(() -> admin().get("/manage/projects"))),
                postgres()::start);
        Timed readiness = run.meanwhile().get(0);
        Timed listing = run.meanwhile().get(1);
        assertEquals(503, readiness.answer().status(), "readiness says the database is gone");
        assertEquals(503, listing.answer().status(), listing.answer().body());
        assertEquals("database_unavailable", listing.answer().json().path("code").asText(), listing.answer().body());
        assertTrue(readiness.tookMs() <= ANSWER_BOUND_MS && listing.tookMs() <= ANSWER_BOUND_MS,
                "the admin API answers in time: " + readiness.tookMs() + " and " + listing.tookMs() + " ms");
        assertAll(run.probes(), o -> true, o -> o.status() == 503 && o.code().equals("database_unavailable"),
                "a token never checked is refused while the database is gone");
        List<SteadyLoad.Outcome> plain = tokens.plain(run.outcomes());
        assertAll(plain, startedIn(run.down(), run.down() + GRACE_SECONDS * 1000L - 1_000), SteadyLoad.Outcome::ok,
                "a token checked just before goes on working for the grace");
        assertAll(plain, startedIn(run.down() + GRACE_SECONDS * 1000L + 1_500, run.up()),
                o -> o.status() == 503 && o.code().equals("database_unavailable"),
                "past the grace, the token cannot be checked: 503 database_unavailable");
        assertAll(tokens.limited(run.outcomes()), startedIn(run.down() + 1_000, run.up()), o -> o.status() == 503,
                "budgets and shared rate limits are not checked without the database: they fail closed");
        promisesKept(run);
    }

    @Test
    default void postgresRefusingWritesForThirtySecondsLosesNoRecordAndRefusesOnlyWhatNeedsAWrite()
            throws Exception {
        Tokens tokens = tokens("readonly");
        Run run = throughFault("read-only", tokens, () -> postgres().refuseWrites(true), 30_000, false,
                () -> List.of(timed(() -> admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("ro")
                        + "\",\"provider\":\"openai\",\"api_key\":\"sk-ro-123456789\"}")),
                        timed(() -> admin().get("/manage/projects")), timed(() -> admin().get("/health/ready"))),
                () -> postgres().refuseWrites(false));
        writesRefusedReadsServed(run, false);
        assertAll(run.probes(), o -> true, SteadyLoad.Outcome::ok, "tokens are checked by reading, which goes on");
        assertAll(tokens.plain(run.outcomes()), o -> true, SteadyLoad.Outcome::ok,
                "calls that need no write are served throughout; their records wait in the queue");
        assertAll(tokens.limited(run.outcomes()), startedIn(run.down() + 1_000, run.up()), o -> o.status() == 503,
                "budgets and shared rate limits need a write: they fail closed");
        promisesKept(run);
    }

    @Test
    default void postgresFrozenUnderLoadIsWaitedForNoLongerThanTheDeadline() throws Exception {
        Run run = throughFault("frozen", tokens("frozen"), () -> postgres().freeze(true), 8_000, true, List::of,
                () -> postgres().freeze(false));
        assertAll(run.probes(), o -> true, o -> o.status() == 503 && o.code().equals("database_unavailable"),
                "a check the database does not answer is given up at the deadline: 503 database_unavailable");
        promisesKept(run);
    }
}
