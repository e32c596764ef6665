package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A database that stops taking writes (#13, findings 1 and 2): the record writer stalled and, once the record queue
 * was full, every container and client thread that finished a call blocked on it, {@code /health} and
 * {@code /manage} included. Here another connection holds the write lock of {@code request_records} while callers
 * go on; nobody waits on it, and when it lets go every record is written.
 */
interface DatabaseFaultContract extends Contract {

    @Test
    default void aDatabaseThatStopsWritingBlocksNoCallerAndLosesNoRecord() throws Exception {
        String project = openAiProject("stalled-db");
        Issued issued = issue(project, "");
        String token = issued.token();
        String records = issued.recordsQuery();
        assertEquals(200, call(chat(token, "gpt-mock", false)).statusCode());
        awaitCount(records, 1);

        int calls = 40;
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (Connection holder = db().connect()) {
            holder.setAutoCommit(false);
            holdWriteLock(holder);
            long started = System.nanoTime();
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                boolean stream = i % 4 == 0;
                answers.add(callers.submit(() -> call(chat(token, "gpt-mock", stream))));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals(200, Contract.join(answer, Duration.ofSeconds(20)).statusCode(),
                        "calls are answered while the database takes no writes");
            }
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(tookMs < 10_000, calls + " calls took " + tookMs + " ms with the writes stalled");
            assertEquals(200, admin().get("/health/live").status());
            assertEquals(200, admin().get("/manage/projects/" + project).status(), "the admin API reads on");
            JsonNode ready = Poll.until(Duration.ofSeconds(5), "the stalled records queued",
                    () -> admin().get("/health/ready").json(), r -> r.path("records").path("queued").asLong() > 0);
            assertEquals(1, db().count(records), "nothing was written while the lock was held: " + ready);
            holder.rollback();
        } finally {
            callers.shutdownNow();
        }
        Poll.until(Duration.ofSeconds(30), "every record once the lock is gone", () -> db().count(records),
                n -> n == calls + 1);
        JsonNode ready = admin().get("/health/ready").json();
        assertEquals(0, ready.path("records").path("rejected").asLong(), "a stalled row is not a refused row: " + ready);
        assertEquals(0, ready.path("records").path("dropped").asLong(), ready.toString());
    }

    /** Takes the lock an insert into request_records needs, and keeps it until the transaction ends. */
    private void holdWriteLock(Connection holder) throws SQLException {
        try (Statement s = holder.createStatement()) {
            if (db().kind().equals("postgresql")) {
                s.execute("LOCK TABLE request_records IN EXCLUSIVE MODE"); // reads go on, writes wait
            } else {
                s.execute("DELETE FROM request_records WHERE 1 = 0"); // SQLite: the database's one write lock
            }
        }
    }
}
