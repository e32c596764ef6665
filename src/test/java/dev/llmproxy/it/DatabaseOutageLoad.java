package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the database outage contracts share: the tokens and the ten callers of the steady load (four streaming, four
 * plain, one with a shared rate limit, one with a budget), and the promises checked on every call they made: answered
 * within {@link #ANSWER_BOUND_MS}, never a 500 or a connection closed without an answer, every 200 recorded.
 */
interface DatabaseOutageLoad extends Contract {
    /** The outage grace of cached token checks the deployment runs with (shorter than the default 30 s). */
    int GRACE_SECONDS = 6;
    /** Every call is answered within this, outage or not (the bound). */
    long ANSWER_BOUND_MS = 5_000;
    /** The deployment's settings over {@link Deployment#TEST_SETTINGS}: this grace, and the default deadline. */
    java.util.Map<String, String> SETTINGS = java.util.Map.of(
            "llmproxy.database-outage-grace-seconds", String.valueOf(GRACE_SECONDS),
            "llmproxy.database-deadline-ms", "3000");
    Set<String> OUTAGE_CODES = Set.of("database_unavailable", "budget_unavailable", "rate_limit_unavailable");

    /** A step of a fault: taking the database away, or giving it back. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /**
     * What a run through a fault saw: every call of the load and of the probe (a token never used before, every
     * second), the admin answers taken 2 s into the fault, and when (load time, ms) the fault began, ended, and the
     * proxy was ready again.
     */
    record Run(List<SteadyLoad.Outcome> outcomes, List<SteadyLoad.Outcome> probes, List<Timed> meanwhile,
               List<Timed> readiness, long down, long up, long back) {
        /** Whether readiness said, at least once during the fault, that the record writer was retrying. */
        boolean writerRetried() {
            return readiness.stream().anyMatch(t -> t.answer().body().contains("\"writer\":\"retrying\""));
        }
    }

    /**
     * Drives the load through a fault: 2 s of load, {@code begin}, {@code lastsMs} of load while the probe calls
     * every second (and readiness is asked, unless the fault is one where it waits for the database: {@code frozen})
     * and, 2 s in, {@code meanwhile} asks the admin API; then {@code end}, /health/ready 200 again, 3 s more.
     * Prints the figures of the run.
     */
    default Run throughFault(String fault, Tokens tokens, Step begin, long lastsMs, boolean frozen,
                             java.util.function.Supplier<List<Timed>> meanwhile, Step end) throws Exception {
        SteadyLoad load = tokens.load(server().baseUrl()).start();
        List<SteadyLoad.Outcome> probes = new ArrayList<>();
        List<Timed> readiness = new ArrayList<>();
        try {
            Readiness.sleep(2_000);
            long down = load.nowMs();
            List<Timed> answers;
            long up;
            begin.run();
            try {
                var prober = java.net.http.HttpClient.newHttpClient();
                Readiness.sleep(2_000);
                answers = meanwhile.get();
                while (load.nowMs() - down < lastsMs) {
                    probes.add(load.once(prober, -1, tokens.fresh().get(probes.size() % tokens.fresh().size()),
                            false));
                    if (!frozen) {
                        readiness.add(timed(() -> admin().get("/health/ready")));
                    }
                    Readiness.sleep(1_000);
                }
            } finally {
                up = load.nowMs();
                end.run();
            }
            Poll.until(Duration.ofSeconds(20), "ready again", () -> admin().get("/health/ready").status(), s -> s == 200);
            long back = load.nowMs();
            Readiness.sleep(3_000);
            Run run = new Run(load.stop(), probes, answers, readiness, down, up, back);
            report(fault, run);
            return run;
        } finally {
            load.close();
        }
    }

    /** An admin API answer and how long it took. */
    record Timed(Http.Response answer, long tookMs) {}

    default Timed timed(java.util.function.Supplier<Http.Response> request) {
        long started = System.nanoTime();
        Http.Response answer;
        try {
            answer = request.get();
        } catch (RuntimeException e) {
            answer = new Http.Response(-1, e.toString(), null);
        }
        return new Timed(answer, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** The tokens of one case: four plain ones, one with a budget, one with a rate limit, and ones never used. */
    record Tokens(List<String> plain, String budgeted, String rated, List<String> fresh) {
        /** Ten callers: 0-3 stream, 4-7 plain, 8 with the rate limit, 9 with the budget. */
        SteadyLoad load(String baseUrl) {
            return new SteadyLoad(baseUrl, 10, i -> new SteadyLoad.Caller(i < 8 ? plain.get(i % 4)
                    : i == 8 ? rated : budgeted, i < 4), 20);
        }

        List<SteadyLoad.Outcome> plain(List<SteadyLoad.Outcome> all) {
            return all.stream().filter(o -> o.caller() < 8).toList();
        }

        List<SteadyLoad.Outcome> limited(List<SteadyLoad.Outcome> all) {
            return all.stream().filter(o -> o.caller() >= 8).toList();
        }

        List<SteadyLoad.Outcome> budgeted(List<SteadyLoad.Outcome> all) {
            return all.stream().filter(o -> o.caller() == 9).toList();
        }
    }

    default Tokens tokens(String name) throws Exception {
        String project = openAiProject(name);
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            plain.add(token(project, ""));
        }
        String budgeted = token(project, ",\"budget_usd\":100,\"budget_period\":\"daily\"");
        String rated = token(project, ",\"rpm_limit\":100000");
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fresh.add(token(project, ""));
        }
        for (String t : List.of(plain.get(0), budgeted, rated)) {
            assertEquals(200, call(chat(t, "gpt-mock", false)).statusCode());
        }
        return new Tokens(plain, budgeted, rated, fresh);
    }

    default void report(String fault, Run run) {
        List<SteadyLoad.Outcome> outcomes = run.outcomes();
        long maxDuring = outcomes.stream().filter(startedIn(run.down(), run.up() + 2_000))
                .mapToLong(SteadyLoad.Outcome::tookMs).max().orElse(0);
        long maxAll = outcomes.stream().mapToLong(SteadyLoad.Outcome::tookMs).max().orElse(0);
        System.out.printf("[outage] %s, %s: %d calls, %s; probes %s; outage %d ms, ready again %d ms after; slowest"
                        + " answer %d ms during it, %d ms overall%n", server().name(), fault, outcomes.size(),
                SteadyLoad.byStatus(outcomes), SteadyLoad.byStatus(run.probes()), run.up() - run.down(),
                run.back() - run.up(), maxDuring, maxAll);
    }

    default void everyCallAnsweredInTime(List<SteadyLoad.Outcome> outcomes) {
        List<SteadyLoad.Outcome> unanswered = outcomes.stream().filter(o -> !o.answered()).toList();
        assertTrue(unanswered.isEmpty(), unanswered.size() + " calls got no answer (hang or closed connection): "
                + unanswered.stream().limit(5).toList());
        List<SteadyLoad.Outcome> slow = outcomes.stream().filter(o -> o.tookMs() > ANSWER_BOUND_MS).toList();
        assertTrue(slow.isEmpty(), slow.size() + " calls took longer than " + ANSWER_BOUND_MS + " ms: "
                + slow.stream().limit(5).toList());
        List<SteadyLoad.Outcome> wrong = outcomes.stream().filter(o -> !o.ok() && !(o.status() == 503
                && OUTAGE_CODES.contains(o.code()))).toList();
        assertTrue(wrong.isEmpty(), wrong.size() + " calls were answered other than 200 or a 503 with Retry-After"
                + " that names the outage: " + SteadyLoad.byStatus(wrong) + " " + wrong.stream().limit(3).toList());
    }

    default Predicate<SteadyLoad.Outcome> startedIn(long fromMs, long toMs) {
        return o -> o.startedAtMs() >= fromMs && o.startedAtMs() < toMs;
    }

    default void assertAll(List<SteadyLoad.Outcome> outcomes, Predicate<SteadyLoad.Outcome> which,
                                  Predicate<SteadyLoad.Outcome> rule, String promise) {
        List<SteadyLoad.Outcome> concerned = outcomes.stream().filter(which).toList();
        List<SteadyLoad.Outcome> broken = concerned.stream().filter(rule.negate()).toList();
        assertFalse(concerned.isEmpty(), promise + ": no call to check");
        assertTrue(broken.isEmpty(), promise + ": " + broken.size() + " of " + concerned.size() + " calls broke it, "
                + SteadyLoad.byStatus(broken) + ", e.g. " + broken.stream().limit(3).toList());
    }

    /**
     * The promises every fault keeps: every call of the load and of the probe answered in time, 200 or a 503 that
     * names the outage; every caller served again once the proxy is ready; every 200 recorded.
     */
    default void promisesKept(Run run) throws Exception {
        everyCallAnsweredInTime(run.outcomes());
        everyCallAnsweredInTime(run.probes());
        assertAll(run.outcomes(), startedIn(run.back() + 1_000, Long.MAX_VALUE), SteadyLoad.Outcome::ok,
                "once ready again, every caller is served without a redeploy");
        everyAnswerRecorded(run.outcomes());
    }

    /**
     * For a database that answers but takes no write: {@code meanwhile} asked for a write, a read and readiness. The
     * write is refused with 503 {@code database_unavailable} and Retry-After ({@code writeMayFit}: or done, where a
     * small write may still find room), the read served, readiness 200; the record writer was seen retrying.
     */
    default void writesRefusedReadsServed(Run run, boolean writeMayFit) {
        Http.Response write = run.meanwhile().get(0).answer();
        if (!(writeMayFit && write.status() == 201)) {
            assertEquals(503, write.status(), "a write the database cannot take: " + write.body());
            assertEquals("database_unavailable", write.json().path("code").asText(), write.body());
            assertTrue(write.headers().firstValue("retry-after").isPresent(), "503 says when to retry");
        }
        assertEquals(200, run.meanwhile().get(1).answer().status(), "reads go on");
        assertEquals(200, run.meanwhile().get(2).answer().status(), "the database answers: ready "
                + run.meanwhile().get(2).answer().body());
        assertTrue(run.writerRetried(), "the record writer waits for the database: " + run.readiness());
        List<Timed> admin = new ArrayList<>(run.meanwhile());
        admin.addAll(run.readiness());
        assertTrue(admin.stream().allMatch(t -> t.tookMs() <= ANSWER_BOUND_MS && t.answer().status() > 0),
                "the admin API answers in time: " + admin);
    }

    /** Every call answered 200 has its record, found by request id; none dropped or set aside. */
    default void everyAnswerRecorded(List<SteadyLoad.Outcome> outcomes) throws Exception {
        Set<String> answered = outcomes.stream().filter(o -> o.status() == 200).map(SteadyLoad.Outcome::requestId)
                .collect(Collectors.toSet());
        Set<String> missing = Poll.until(Duration.ofSeconds(30), "every call answered 200 recorded", () -> {
            Set<String> left = new HashSet<>(answered);
            db().strings("SELECT request_id FROM request_records").forEach(left::remove);
            return left;
        }, Set::isEmpty);
        System.out.printf("[outage] %s: %d calls answered 200, %d of them recorded%n", server().name(),
                answered.size(), answered.size() - missing.size());
        JsonNode ready = admin().get("/health/ready").json();
        assertEquals(0, ready.path("records").path("dropped").asLong(), ready.toString());
        assertEquals(0, ready.path("records").path("rejected").asLong(), ready.toString());
    }
}
