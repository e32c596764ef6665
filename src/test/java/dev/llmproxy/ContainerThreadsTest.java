package dev.llmproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.AccessControlContext;
import java.security.AccessController;
import java.security.CodeSource;
import java.security.Permissions;
import java.security.PrivilegedAction;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A thread that inherited code of an undeployed application (a protection domain of its loader) no longer carries it
 * after the release, nor passes it on; the other code it inherited stays; a thread whose context class loader is the
 * application's gets the container's.
 */
@SuppressWarnings("removal")
class ContainerThreadsTest {
    private final URLClassLoader undeployed = new URLClassLoader(new URL[0], null);
    private final URLClassLoader other = new URLClassLoader(new URL[0], null);
    private ProtectionDomain undeployedCode;
    private ProtectionDomain otherCode;

    @BeforeEach
    void code() {
        undeployedCode = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), new Permissions(), undeployed,
                null);
        otherCode = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null, other, null);
    }

    @Test
    void aThreadThatInheritedTheUndeployedCodeNoLongerPassesItOn() throws Exception {
        assumeJavaBefore24();
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<Thread> before = new AtomicReference<>();
        AtomicReference<Thread> after = new AtomicReference<>();
        Thread carrier = carrying(new ProtectionDomain[] {undeployedCode}, () -> {
            before.set(new Thread(() -> { }));
            await(released);
            after.set(new Thread(() -> { }));
        });
        carrier.start();
        while (before.get() == null) {
            Thread.onSpinWait();
        }

        ContainerThreads.Release release = ContainerThreads.letGoOf(undeployed, other);
        released.countDown();
        carrier.join();

        assertEquals(java.util.Optional.empty(), release.impossible());
        assertTrue(release.contexts() >= 1, "the carrier at least: " + release);
        assertTrue(holdsTheUndeployedCode(before.get()), "before, a new thread inherited the code");
        assertFalse(holdsTheUndeployedCode(after.get()), "after the release, a new thread inherits none of it");
        assertEquals(0, ContainerThreads.letGoOf(undeployed, other).contexts(), "nothing left to release");
    }

    @Test
    void theOtherInheritedCodeStays() throws Exception {
        assumeJavaBefore24();
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<ProtectionDomain[]> seen = new AtomicReference<>();
        Thread carrier = carrying(new ProtectionDomain[] {undeployedCode, otherCode}, () -> {
            await(released);
            seen.set(ContainerThreads.domainsOf(AccessController.getContext()));
        });
        carrier.start();
        ContainerThreads.Release release = ContainerThreads.letGoOf(undeployed, other);
        released.countDown();
        carrier.join();

        assertTrue(release.contexts() >= 1, release.toString());
        assertTrue(Arrays.stream(seen.get()).noneMatch(d -> d.getClassLoader() == undeployed),
                Arrays.toString(seen.get()));
        assertTrue(Arrays.stream(seen.get()).anyMatch(d -> d == otherCode), "kept: " + Arrays.toString(seen.get()));
    }

    @Test
    void aThreadWaitingWithTheUndeployedLoaderGetsTheContainersInstead() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        ClassLoader callers = Thread.currentThread().getContextClassLoader();
        URLClassLoader madeByTheApplication = new URLClassLoader(new URL[0], undeployed);
        Thread waiting = new Thread(() -> await(released));
        waiting.setContextClassLoader(madeByTheApplication);
        Thread unrelated = new Thread(() -> await(released));
        ClassLoader its = unrelated.getContextClassLoader();
        waiting.start();
        unrelated.start();
        try {
            Thread.currentThread().setContextClassLoader(undeployed); // as the container sets it for the undeploy
            ContainerThreads.Release release = ContainerThreads.letGoOf(undeployed, other);
            assertSame(undeployed, Thread.currentThread().getContextClassLoader(), "the caller's is left as it is");
            assertTrue(release.classLoaders() >= 1, release.toString());
            assertSame(other, waiting.getContextClassLoader());
            assertSame(its, unrelated.getContextClassLoader());
        } finally {
            Thread.currentThread().setContextClassLoader(callers);
            released.countDown();
        }
    }

    @Test
    void theDomainsOfAContextAreRead() {
        assumeJavaBefore24();
        ProtectionDomain[] domains = ContainerThreads.domainsOf(new AccessControlContext(new ProtectionDomain[] {
                undeployedCode, otherCode}));
        assertEquals(2, domains.length);
        assertSame(undeployedCode, Arrays.stream(domains).filter(d -> d.getClassLoader() == undeployed).findFirst()
                .orElseThrow());
    }

    private static void assumeJavaBefore24() {
        assumeTrue(Runtime.version().feature() < 24, "from Java 24 a new thread inherits no access-control context");
    }

    /** A thread started in a context of these domains (not started yet). */
    private static Thread carrying(ProtectionDomain[] domains, Runnable task) {
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> new Thread(task),
                new AccessControlContext(domains));
    }

    /** Whether the thread's inherited context names code of the undeployed loader (what kept it in memory). */
    private boolean holdsTheUndeployedCode(Thread thread) throws ReflectiveOperationException {
        Field field = Thread.class.getDeclaredField("inheritedAccessControlContext");
        field.setAccessible(true);
        return Arrays.stream(ContainerThreads.domainsOf((AccessControlContext) field.get(thread)))
                .anyMatch(d -> d != null && d.getClassLoader() == undeployed);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
