package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away while callers go on (the database refuses new connections and ends the proxy's): a token
 * checked just before goes on working within the outage grace (30 s by default), a token never checked is refused
 * with a clear 503 {@code database_unavailable}, nothing hangs, the admin API answers problem JSON, readiness says the
 * database is down, and once it is back the proxy serves again and writes every record it kept. Only the PostgreSQL
 * classes run it: it closes the database to connections, which SQLite has no way to do.
 */
interface DatabaseOutageContract extends Contract {
    ObjectMapper JSON = new ObjectMapper();

    @Test
    default void aDatabaseThatGoesAwayIsAnsweredClearlyAndRecordingResumes() throws Exception {
        String project = openAiProject("outage");
        String token = token(project, "");
        String unchecked = token(project, "");
        assertEquals(200, call(chat(token, "gpt-mock", false)).statusCode());
        Poll.until(Duration.ofSeconds(10), "the writer idle", () -> admin().get("/health/ready").json(),
                r -> r.path("records").path("queued").asLong() == 0);
        long recordsBefore = db().count("SELECT COUNT(*) FROM request_records");

        int during = 0;
        int refused = 0;
        String database = db().jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        try (Connection server = DriverManager.getConnection(db().jdbcUrl().replace("/" + database, "/postgres"),
                db().user(), db().password())) {
            closeTo(server, database, true);
            try {
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until) {
                    for (String t : new String[] {token, unchecked}) {
                        long started = System.nanoTime();
                        HttpResponse<String> answer = call(chat(t, "gpt-mock", false));
                        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
                        assertTrue(tookMs < 5_000, "answered without waiting on the database: " + tookMs + " ms");
                        during++;
                        if (t.equals(token)) {
                            assertEquals(200, answer.statusCode(), "checked just before: served within the grace, "
                                    + answer.body());
                            continue;
                        }
                        refused++;
                        assertEquals(503, answer.statusCode(), answer.body());
                        JsonNode error = JSON.readTree(answer.body()).path("error");
                        assertEquals("database_unavailable", error.path("code").asText(), answer.body());
                        assertFalse(answer.body().toLowerCase().contains("exception"), answer.body());
                        assertTrue(answer.headers().firstValue("retry-after").isPresent(), "503 says when to retry");
                    }
                    Thread.sleep(100); // a caller's pace, not a synchronisation
                }
                assertTrue(refused > 0, "a token never checked cannot be checked without the database");
                assertEquals(200, admin().get("/health/live").status());
                JsonNode ready = Poll.until(Duration.ofSeconds(5), "readiness sees the database gone",
                        () -> admin().get("/health/ready"), r -> r.status() == 503).json();
                assertFalse(ready.path("database").path("reachable").asBoolean(), ready.toString());
                Http.Response listing = admin().get("/manage/projects");
                assertEquals(503, listing.status(), listing.body());
                String type = listing.headers().firstValue("content-type").orElse("");
                assertTrue(type.startsWith("application/problem+json"), type + " " + listing.body());
                assertFalse(listing.body().toLowerCase().contains("exception"), listing.body());
            } finally {
                closeTo(server, database, false);
            }
        }
        Poll.until(Duration.ofSeconds(30), "ready again", () -> admin().get("/health/ready").status(), s -> s == 200);
        AtomicInteger after = new AtomicInteger();
        Poll.until(Duration.ofSeconds(10), "the token never checked is served now", () -> {
            after.incrementAndGet();
            return call(chat(unchecked, "gpt-mock", false)).statusCode();
        }, s -> s == 200);
        long expected = recordsBefore + during + after.get();
        Poll.until(Duration.ofSeconds(30), "every call made during the outage recorded, refusals too",
                () -> db().count("SELECT COUNT(*) FROM request_records"), n -> n == expected);
        JsonNode ready = admin().get("/health/ready").json();
        assertEquals(0, ready.path("records").path("rejected").asLong(), ready.toString());
        assertEquals(0, ready.path("records").path("dropped").asLong(), ready.toString());
    }

    /** Closes the database to new connections and ends the open ones, or opens it again. */
    private static void closeTo(Connection server, String database, boolean closed) throws SQLException {
        try (Statement s = server.createStatement()) {
            s.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS " + !closed);
            if (closed) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()");
            }
        }
    }
}
