package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.Provider;
import dev.llmproxy.project.Upstream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import dev.llmproxy.testing.MigratedSqlite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preflights are answered from memory: a flood of them, or a database that is down, costs no query per request. */
class CorsPolicyTest {
    @TempDir
    Path dir;

    /** Counts the connections taken, and can refuse them as a database that is down. */
    private static final class Counting {
        final AtomicInteger taken = new AtomicInteger();
        volatile boolean down;
        final DataSource dataSource;

        Counting(DataSource delegate) {
            dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            taken.incrementAndGet();
                            if (down) {
                                throw new SQLException("Connection refused", "08001");
                            }
                        }
                        try {
                            return method.invoke(delegate, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Test
    void aFloodOfPreflightsCostsNoQueryEachAndAnOutageKeepsTheLastAnswer() throws Exception {
        SqliteConnectionSettings sqlite = MigratedSqlite.at(dir.resolve("cors.db"));
        Counting counting = new Counting(sqlite);
        Jpa jpa = Jpa.open(counting.dataSource, List.of(Project.class, Upstream.class));
        KeyCipher cipher = new KeyCipher(new byte[32], new SecureRandom());
        jpa.inTransaction(em -> {
            Project p = new Project("app", Provider.OPENAI, null, "sk-test-key-1234", cipher, Instant.now());
            p.changeAllowedOrigins(List.of("https://app.example"), Instant.now());
            em.persist(p);
            return p;
        });
        List<Runnable> queued = new java.util.ArrayList<>();
        CorsPolicy cors = new CorsPolicy(jpa, queued::add);
        int afterStart = counting.taken.get();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(cors.allowedByAnyProject("https://app.example"));
        }
        assertEquals(afterStart, counting.taken.get(), "answered from memory");

        counting.down = true;
        Thread.sleep(1_100);
        assertTrue(cors.allowedByAnyProject("https://app.example"), "the last answer, while the refresh is pending");
        assertEquals(1, queued.size(), "one refresh in the background, however many preflights ask");
        for (int i = 0; i < 1_000; i++) {
            cors.allowedByAnyProject("https://app.example");
        }
        assertEquals(1, queued.size());
        queued.remove(0).run(); // the refresh meets the outage
        assertTrue(cors.allowedByAnyProject("https://app.example"), "an outage keeps the last answer");
        assertEquals(false, cors.allowedByAnyProject("https://evil.example"));
        assertEquals(0, queued.size(), "and is not tried again for a second");
    }
}
