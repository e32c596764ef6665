package dev.llmproxy.health;

import dev.llmproxy.persistence.ApplicationDataSource;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.usage.UsageRecorder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The readiness answer, at most {@value #MAX_AGE_MS} ms old: however often {@code /health/ready} is asked (a load
 * balancer, or anyone, since it needs no credentials), at most one check at a time takes a pool connection, and a
 * caller arriving during a check gets the previous answer instead of waiting for the database, or, once that check
 * has run longer than {@value #DB_CHECK_TIMEOUT_SECONDS} s (a database that neither answers nor fails), 503.
 */
public final class Readiness {
    static final long MAX_AGE_MS = 1_000;
    private static final int DB_CHECK_TIMEOUT_SECONDS = 2;

    /** Status (200 or 503) and the JSON body. */
    public record Answer(int status, Map<String, Object> body) {}

    private final ApplicationDataSource dataSource;
    private final SchemaMigrator.Result schema;
    private final IntSupplier callsInFlight;
    private final UsageRecorder records;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Answer last;
    private volatile long checkedAt;
    /** When the check under way began (nanoTime); meaningful while {@link #checking} is held. */
    private volatile long checkStartedAt;

    public Readiness(ApplicationDataSource dataSource, SchemaMigrator.Result schema, IntSupplier callsInFlight,
                     UsageRecorder records, LongSupplier nanoTime, Clock clock) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.schema = schema;
        this.callsInFlight = callsInFlight;
        this.records = records;
        this.nanoTime = nanoTime;
    }

    public Answer current() {
        Answer answer = last;
        if (answer != null && TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - checkedAt) < MAX_AGE_MS) {
            return answer;
        }
        if (answer != null && !checking.tryLock()) {
            // another caller is checking: no second connection, no wait; but a check that does not end is an answer
            long runningMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - checkStartedAt);
            return runningMs <= TimeUnit.SECONDS.toMillis(DB_CHECK_TIMEOUT_SECONDS) ? answer
                    : check("no answer for " + runningMs + " ms");
        }
        if (answer == null) {
            checking.lock(); // the very first answer: wait for it
        }
        try {
            if (last == answer || last == null) {
                checkStartedAt = nanoTime.getAsLong();
                last = check(databaseProblem());
                checkedAt = nanoTime.getAsLong();
            }
            return last;
        } finally {
            checking.unlock();
        }
    }

    private Answer check(String problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problem == null ? "UP" : "DOWN");
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("kind", dataSource.kind().id());
        database.put("reachable", problem == null);
        if (problem != null) {
            database.put("error", problem);
        }
        body.put("database", database);
        body.put("schema", Map.of("change_sets", schema.total(), "applied_at_start", schema.appliedNow()));
        body.put("calls_in_flight", callsInFlight.getAsInt());
        body.put("records", Map.of("queued", records.queued(), "rejected", records.rejected(),
                "dropped", records.dropped(), "writer", records.retrying() ? "retrying" : "ok"));
        body.put("checked_at", clock.instant().toString()); // answers are cached: this says how old one is
        return new Answer(problem == null ? 200 : 503, body);
    }

    private String databaseProblem() {
        try (Connection c = dataSource.dataSource().getConnection()) {
            return c.isValid(DB_CHECK_TIMEOUT_SECONDS) ? null : "connection is not valid";
        } catch (SQLException e) {
            return "cannot connect (" + e.getSQLState() + ")";
        }
    }
}
