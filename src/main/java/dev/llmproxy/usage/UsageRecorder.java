package dev.llmproxy.usage;

import dev.llmproxy.ApplicationThreads;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes request records off the request path: a queue and one writer thread (SQLite has one writer anyway) that
 * writes batches of up to {@value #BATCH}, gathering for {@value #LINGER_MS} ms after the first record of a batch.
 * <p>
 * No caller ever waits here. The queue holds {@code capacity} places: a call takes one at admission
 * ({@link #reserve}) and its record then always finds it; when none is left, the call is refused before anything goes
 * upstream. A call refused before admission (an unknown token, say) is recorded only if a place is free, else counted
 * as dropped, so that unauthenticated traffic can never crowd out the records of admitted calls.
 * <p>
 * A batch the database cannot take because it is down, busy or read-only is retried until it is written. A batch it
 * refuses for a row (a data exception or a constraint: a value no column holds) while it answers is written row by
 * row and the row refused is set aside ({@link RecordStore#setAside}), so one row can never stop the writer.
 * {@link #close()} stops taking records, writes everything queued, and only then returns.
 */
public final class UsageRecorder implements RecordSink, AutoCloseable {
    static final int BATCH = 500;
    static final long MAX_WAIT_MS = 250;
    static final long LINGER_MS = 5;
    /** SQLState classes of a row the database refuses: data exception, integrity constraint. Anything else: retry. */
    private static final Set<String> ROW_REFUSED_CLASSES = Set.of("22", "23");
    /** SQLite's result codes for a refused row: TOOBIG, CONSTRAINT, MISMATCH. */
    private static final Set<Integer> SQLITE_ROW_REFUSED = Set.of(18, 19, 20);
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class.getName());
    /** How long {@link #awaitWritten} waits for the calls admitted before it to end. */
    static final Duration OPEN_CALLS_WAIT = Duration.ofSeconds(2);

    private final LinkedBlockingQueue<RequestRecord> queue = new LinkedBlockingQueue<>();
    private final Semaphore places;
    private final RecordStore store;
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong queuedTotal = new AtomicLong();
    /** The next place's ticket, and the tickets of the places held by calls not yet recorded. */
    private final AtomicLong tickets = new AtomicLong();
    private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();
    private final Duration openCallsWait;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final long retryBaseMs;
    private volatile boolean closing;
    /** Whether the writer's current batch failed to write and is being retried (the database takes no writes). */
    private volatile boolean retrying;

    public UsageRecorder(RecordStore store, int capacity) {
        this(store, capacity, 50, OPEN_CALLS_WAIT);
    }

    /**
     * @param retryBaseMs the first wait after a failed write; it grows with each attempt up to 5 s
     * @param openCallsWait how long {@link #awaitWritten} waits for calls admitted before it to end
     */
    UsageRecorder(RecordStore store, int capacity, long retryBaseMs, Duration openCallsWait) {
        this.store = store;
        this.openCallsWait = openCallsWait;
        this.places = new Semaphore(capacity);
        this.retryBaseMs = retryBaseMs;
        this.writer = ApplicationThreads.named("llm-proxy-usage-writer").newThread(this::run);
        this.writer.start();
    }

    @Override
    public long reserve() {
        if (closing || !places.tryAcquire()) {
            return NO_PLACE;
        }
        long ticket = tickets.getAndIncrement();
        open.add(ticket);
        return ticket;
    }

    @Override
    public void release(long ticket) {
        open.remove(ticket);
        places.release();
    }

    @Override
    public void recordReserved(long ticket, RequestRecord record) {
        queue(record);
        open.remove(ticket); // after it is queued: awaitWritten sees it either open or queued
    }

    private void queue(RequestRecord record) {
        queuedTotal.incrementAndGet();
        queue.add(record);
    }

    @Override
    public void recordIfRoom(RequestRecord record) {
        if (places.tryAcquire()) {
            queue(record);
        } else if (dropped.incrementAndGet() % 1_000 == 1) {
            LOG.warning(() -> "The record queue is full: records of refused calls are dropped (" + dropped.get()
                    + " so far); admitted calls are refused with 503 until the database catches up");
        }
    }

    /** Records waiting, written, dropped (refused calls, queue full) and set aside (refused by the database). */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("llmproxy.records.queued", this, UsageRecorder::queued)
                .description("Request records waiting for the writer").register(registry);
        FunctionCounter.builder("llmproxy.records.written", this, UsageRecorder::written)
                .description("Request records written to the database").register(registry);
        FunctionCounter.builder("llmproxy.records.dropped", dropped, AtomicLong::get)
                .description("Records of calls refused before admission, dropped because the queue was full")
                .register(registry);
        FunctionCounter.builder("llmproxy.records.rejected", rejected, AtomicLong::get)
                .description("Request records the database refused, set aside in rejected_records").register(registry);
    }

    /**
     * Waits until the record of every call that ended before this call is written; false if that took longer than
     * {@code limit}. A caller can have its whole answer a moment before its call has ended here (the record is made
     * after the last byte is written), so the calls admitted before this call are given up to
     * {@link #OPEN_CALLS_WAIT} to end and be queued first; one still open then (a stream, a provider still thinking)
     * has no answer its caller could have acknowledged. Then every record queued is waited for (the writer takes
     * them in order).
     */
    public boolean awaitWritten(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long horizon = tickets.get();
        long openDeadline = Math.min(deadline, System.nanoTime() + openCallsWait.toNanos());
        while (admittedBefore(horizon) && System.nanoTime() < openDeadline) {
            sleepQuietly(2);
        }
        long target = queuedTotal.get();
        while (written.get() + rejected.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleepQuietly(10);
        }
        return true;
    }

    private boolean admittedBefore(long horizon) {
        Long oldest = open.isEmpty() ? null : open.first();
        return oldest != null && oldest < horizon;
    }

    public long written() {
        return written.get();
    }

    public int queued() {
        return queue.size();
    }

    public long rejected() {
        return rejected.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Whether records are waiting because the database did not take the last write (it is retried). */
    public boolean retrying() {
        return retrying;
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                RequestRecord first = queue.poll(MAX_WAIT_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (queue.size() < BATCH - 1 && !closing) {
                    // Group commit: let a few milliseconds of records gather, so that a steady trickle is written
                    // in one transaction rather than one each (measured: the writer's CPU per record fell by
                    // about four times at 2,000 calls/s on SQLite).
                    Thread.sleep(LINGER_MS);
                }
                queue.drainTo(batch, BATCH - 1);
                places.release(batch.size()); // the batch is the writer's now: bounded by BATCH, not by the queue
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                // close() interrupts a waiting poll; the loop drains what is left
            }
        }
    }

    /** Writes a batch; only a database that is down makes it wait, and then nothing is dropped. */
    private void write(List<RequestRecord> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.write(batch);
                written.addAndGet(batch.size());
                retrying = false;
                return;
            } catch (SQLException | RuntimeException e) {
                if (refusesTheRow(e) && store.reachable()) {
                    LOG.log(Level.WARNING, "The database refused a batch of " + batch.size() + " request records"
                            + " while it answers; writing them one by one to set aside the row it refuses", e);
                    writeEach(batch);
                    return;
                }
                if (!waitToRetry(batch.size(), attempt, e)) {
                    return;
                }
            }
        }
    }

    private void writeEach(List<RequestRecord> batch) {
        for (RequestRecord record : batch) {
            for (int attempt = 1; ; attempt++) {
                try {
                    store.write(List.of(record));
                    written.incrementAndGet();
                    break;
                } catch (SQLException | RuntimeException e) {
                    if (refusesTheRow(e) && store.reachable()) {
                        setAside(record, e);
                        break;
                    }
                    if (!waitToRetry(1, attempt, e)) {
                        return;
                    }
                }
            }
        }
    }

    private void setAside(RequestRecord record, Exception refusal) {
        rejected.incrementAndGet();
        String reason = refusal.getClass().getSimpleName() + (refusal instanceof SQLException sql
                ? " (SQLState " + sql.getSQLState() + ")" : "") + ": " + refusal.getMessage();
        try {
            store.setAside(record, reason);
            LOG.warning(() -> "Request record " + record.requestId() + " was refused by the database and set aside"
                    + " in rejected_records: " + reason);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Request record " + record.requestId() + " was refused by the database (" + reason
                    + ") and could not be set aside either; it is in this log only: " + record, e);
        }
    }

    /** Waits before the next attempt; false when shutting down and the database stayed down. */
    private boolean waitToRetry(int records, int attempt, Exception e) {
        retrying = true;
        if (attempt == 1 || attempt % 20 == 0) {
            LOG.log(Level.WARNING, "Writing " + records + " request records failed (attempt " + attempt
                    + "); the database does not answer; retrying, nothing is dropped", e);
        }
        if (closing && attempt >= 50) {
            LOG.severe(() -> "Gave up writing " + records + " request records at shutdown: the database stayed"
                    + " unavailable");
            return false;
        }
        sleepQuietly(Math.min(5_000, retryBaseMs * attempt));
        return true;
    }

    /**
     * Whether the failure is about a row, not the database: a value no column takes, a constraint. A database that is
     * down, busy, read-only or missing its table is retried instead, so nothing is set aside for its sake.
     */
    private static boolean refusesTheRow(Exception e) {
        if (e instanceof RuntimeException) {
            return true; // binding a value failed: that record
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && state.length() >= 2 && ROW_REFUSED_CLASSES.contains(state.substring(0, 2))) {
                    return true;
                }
                if (SQLITE_ROW_REFUSED.contains(sql.getErrorCode() & 0xFF)
                        && sql.getClass().getName().startsWith("org.sqlite")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        writer.interrupt();
        writer.join(TimeUnit.MINUTES.toMillis(2));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // shutting down; the loop decides
        }
    }
}
