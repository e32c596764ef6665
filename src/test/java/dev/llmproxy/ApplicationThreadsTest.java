package dev.llmproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.AccessControlContext;
import java.security.AccessControlException;
import java.security.AccessController;
import java.security.CodeSource;
import java.security.Permissions;
import java.security.PrivilegedAction;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.PropertyPermission;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The application's threads are daemons with its class loader and carry nothing of the thread that started them. */
@SuppressWarnings("removal")
class ApplicationThreadsTest {
    @Test
    void threadsAreNamedDaemonsWithTheApplicationsClassLoader() {
        ApplicationThreads pool = ApplicationThreads.numbered("llm-proxy-work");
        Thread first = pool.newThread(() -> { });
        Thread second = pool.newThread(() -> { });
        assertEquals("llm-proxy-work-1", first.getName());
        assertEquals("llm-proxy-work-2", second.getName());
        assertEquals("llm-proxy-background", ApplicationThreads.named("llm-proxy-background").newThread(() -> { })
                .getName());
        assertTrue(first.isDaemon());
        assertSame(ApplicationThreads.class.getClassLoader(), first.getContextClassLoader());
    }

    /**
     * A thread that carries code of an earlier deployment in its access-control context (here: code with no
     * permissions, which any check then fails for) passes it on to a thread started the usual way, not to one of
     * the application's.
     */
    @Test
    void aThreadStartedOnOneThatCarriesOtherCodeCarriesNoneOfIt() throws Exception {
        assumeTrue(Runtime.version().feature() < 24, "from Java 24 a new thread inherits no access-control context");
        ProtectionDomain earlier = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), new Permissions());
        AccessControlContext carrying = new AccessControlContext(new ProtectionDomain[] {earlier});
        AtomicReference<Throwable> usual = new AtomicReference<>();
        AtomicReference<Throwable> ours = new AtomicReference<>();
        Thread carrier = AccessController.doPrivileged((PrivilegedAction<Thread>) () -> new Thread(() -> {
            runAndJoin(new Thread(() -> check(usual)));
            runAndJoin(ApplicationThreads.named("llm-proxy-test").newThread(() -> check(ours)));
        }), carrying);
        runAndJoin(carrier);
        assertInstanceOf(AccessControlException.class, usual.get(), "the usual thread carries the earlier code");
        assertNull(ours.get(), "the application's thread carries none of it");
    }

    /** What every code may do (Java's default policy): fails only for code that may do nothing. */
    private static void check(AtomicReference<Throwable> failure) {
        try {
            AccessController.checkPermission(new PropertyPermission("java.version", "read"));
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private static void runAndJoin(Thread thread) {
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
