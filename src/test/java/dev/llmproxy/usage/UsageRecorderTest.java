package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
    /** A database that refuses rows whose model is "poison" (as PostgreSQL refuses a value its column cannot hold). */
    private static final class Store implements RecordStore {
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final List<String> setAside = Collections.synchronizedList(new ArrayList<>());
        volatile boolean down;
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public int write(List<RequestRecord> batch) throws SQLException {
            attempts.incrementAndGet();
            if (down) {
                throw new SQLException("Connection refused", "08001");
            }
            for (RequestRecord r : batch) {
                if ("poison".equals(r.model())) {
                    throw new SQLException("value too long for type character varying(10)", "22001");
                }
            }
            batch.forEach(r -> written.add(r.requestId()));
            return batch.size();
        }

        @Override
        public boolean reachable() {
            return !down;
        }

        @Override
        public void setAside(RequestRecord record, String reason) {
            setAside.add(record.requestId() + ": " + reason);
        }
    }

    private final Store store = new Store();
    private UsageRecorder recorder;

    @AfterEach
    void close() throws InterruptedException {
        recorder.close();
    }

    private static RequestRecord record(String id, String model) {
        return new RequestRecord(id, Instant.parse("2026-12-02T10:00:00Z"), "p", "t", "openai", model, "POST",
                "/v1/chat/completions", "chat.completions", 200, null, false, 5, 10, TokenUsage.NONE, 0L, false, "default", 1, false);
    }

    @Test
    void aRowTheDatabaseRefusesIsSetAsideAndTheRestIsWritten() {
        recorder = new UsageRecorder(store, 100, 1, UsageRecorder.OPEN_CALLS_WAIT);
        for (int i = 0; i < 5; i++) {
            recorder.recordReserved(held(), record("r" + i, i == 2 ? "poison" : "gpt-4o-mini"));
        }
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(10)));
        assertEquals(List.of("r0", "r1", "r3", "r4"), store.written);
        assertEquals(1, store.setAside.size());
        assertTrue(store.setAside.get(0).startsWith("r2: SQLException (SQLState 22001)"), store.setAside.get(0));
        assertEquals(1, recorder.rejected());

        recorder.recordReserved(held(), record("r5", "gpt-4o-mini"));
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(10)));
        assertTrue(store.written.contains("r5"), "the writer goes on");
    }

    @Test
    void aDatabaseThatIsDownMakesTheWriterWaitButSetsNothingAside() throws Exception {
        recorder = new UsageRecorder(store, 100, 1, UsageRecorder.OPEN_CALLS_WAIT);
        store.down = true;
        for (int i = 0; i < 3; i++) {
            recorder.recordIfRoom(record("d" + i, "gpt-4o-mini"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (store.attempts.get() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(store.attempts.get() >= 5, "retried");
        assertTrue(store.setAside.isEmpty());
        store.down = false;
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(10)));
        assertEquals(List.of("d0", "d1", "d2"), store.written);
    }

    @Test
    void aFullQueueRefusesAdmissionAndDropsOnlyRecordsOfCallsThatHeldNoPlace() {
        store.down = true; // nothing leaves the queue
        recorder = new UsageRecorder(store, 2, 1, UsageRecorder.OPEN_CALLS_WAIT);
        long first = held();
        long second = held();
        assertEquals(RecordSink.NO_PLACE, recorder.reserve(), "no place left: the next call is refused at admission");
        recorder.recordIfRoom(record("refused-1", null));
        assertEquals(1, recorder.dropped(), "a refused call's record is dropped rather than waited for");
        recorder.recordReserved(first, record("admitted-1", "gpt-4o-mini"));
        recorder.recordReserved(second, record("admitted-2", "gpt-4o-mini"));
        store.down = false;
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(10)));
        assertEquals(List.of("admitted-1", "admitted-2"), store.written, "admitted calls are always recorded");
        assertTrue(recorder.reserve() >= 0, "the places are free again");
    }

    /**
     * A backup asked for while a call whose caller already has its answer is still being recorded (BackupContract on
     * WildFly, a CI run): the wait covers that call's record, queued after the wait began.
     */
    @Test
    void awaitWrittenCoversACallAdmittedBeforeItThatEndsAMomentLater() throws Exception {
        recorder = new UsageRecorder(store, 100, 1, Duration.ofSeconds(10));
        long answered = held();
        long later = System.nanoTime();
        java.util.concurrent.CompletableFuture<Boolean> backup = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> recorder.awaitWritten(Duration.ofSeconds(20)));
        Thread.sleep(200);
        assertFalse(backup.isDone(), "waits for the call admitted before it");
        long admittedAfter = held(); // a call admitted after the backup began is not waited for
        recorder.recordReserved(answered, record("answered", "gpt-4o-mini"));
        assertTrue(backup.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(store.written.contains("answered"), "written before the backup goes on: " + store.written);
        assertTrue(System.nanoTime() - later < Duration.ofSeconds(9).toNanos(), "not held by the later call");
        recorder.release(admittedAfter);
    }

    /** A call still open when the wait for open calls is over (a stream) does not hold the backup longer. */
    @Test
    void aCallStillOpenHoldsTheWaitOnlyForItsBound() {
        recorder = new UsageRecorder(store, 100, 1, Duration.ofMillis(300));
        long streaming = held();
        recorder.recordIfRoom(record("refused", null));
        long started = System.nanoTime();
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(10)));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertTrue(tookMs >= 250 && tookMs < 5_000, "waited about the bound: " + tookMs + " ms");
        assertEquals(List.of("refused"), store.written);
        recorder.release(streaming);
    }

    private long held() {
        long ticket = recorder.reserve();
        assertTrue(ticket >= 0, "a place");
        return ticket;
    }
}
