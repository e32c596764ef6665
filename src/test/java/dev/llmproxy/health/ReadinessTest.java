package dev.llmproxy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.persistence.ApplicationDataSource;
import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.usage.RecordStore;
import dev.llmproxy.usage.RequestRecord;
import dev.llmproxy.usage.UsageRecorder;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A flood of readiness probes costs the database one check a second, and the answer follows the database. */
class ReadinessTest {
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean down;
    /** While set, getConnection waits for it: a database that neither answers nor fails. */
    private volatile java.util.concurrent.CountDownLatch stuck;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final UsageRecorder records = new UsageRecorder(new RecordStore() {
        @Override
        public int write(List<RequestRecord> batch) {
            return batch.size();
        }

        @Override
        public boolean reachable() {
            return true;
        }

        @Override
        public void setAside(RequestRecord record, String reason) {
        }
    }, 100);
    private final Readiness readiness = new Readiness(new ApplicationDataSource(dataSource(), DatabaseKind.SQLITE,
            "test", () -> { }), new SchemaMigrator.Result(0, 13), () -> 0, records, nanos::get, Clock.systemUTC());

    @AfterEach
    void close() throws Exception {
        records.close();
    }

    private DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    connections.incrementAndGet();
                    if (stuck != null) {
                        stuck.await();
                    }
                    if (down) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    return validConnection();
                });
    }

    private static Connection validConnection() {
        return (Connection) Proxy.newProxyInstance(ReadinessTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isValid" -> true;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void manyProbesWithinASecondTakeOneConnection() {
        for (int i = 0; i < 10_000; i++) {
            assertEquals(200, readiness.current().status());
            nanos.addAndGet(50_000); // 10,000 probes in half a second
        }
        assertEquals(1, connections.get());
    }

    @Test
    void theAnswerFollowsTheDatabaseWithinASecond() {
        assertEquals(200, readiness.current().status());
        down = true;
        assertEquals(200, readiness.current().status(), "the cached answer, not yet a second old");
        nanos.addAndGet(Readiness.MAX_AGE_MS * 1_000_000);
        Readiness.Answer gone = readiness.current();
        assertEquals(503, gone.status());
        assertEquals("DOWN", gone.body().get("status"));
        down = false;
        nanos.addAndGet(Readiness.MAX_AGE_MS * 1_000_000);
        assertEquals(200, readiness.current().status());
        assertEquals(3, connections.get());
    }

    @Test
    void aCheckThatDoesNotEndIsAnsweredWith503AfterTheCheckTimeout() throws Exception {
        assertEquals(200, readiness.current().status());
        stuck = new java.util.concurrent.CountDownLatch(1);
        nanos.addAndGet(Readiness.MAX_AGE_MS * 1_000_000);
        Thread checker = new Thread(readiness::current);
        checker.start();
        while (connections.get() < 2) {
            Thread.sleep(1);
        }
        assertEquals(200, readiness.current().status(), "a check under way: the previous answer");
        nanos.addAndGet(2_001_000_000L);
        Readiness.Answer hung = readiness.current();
        assertEquals(503, hung.status(), "the check has not ended for more than 2 s");
        assertEquals("DOWN", hung.body().get("status"));
        assertEquals(2, connections.get(), "no second connection for it");
        stuck.countDown();
        stuck = null;
        checker.join(5_000);
        nanos.addAndGet(Readiness.MAX_AGE_MS * 1_000_000);
        assertEquals(200, readiness.current().status());
    }
}
