package dev.llmproxy;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.security.AccessControlContext;
import java.security.AccessController;
import java.security.DomainCombiner;
import java.security.PrivilegedAction;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the container's threads let go of an undeployed application (#14): what they inherited of it when they were
 * started, which nothing else would ever take away.
 *
 * <p><b>The access-control context</b> (Java 17 to 23): a new thread keeps the context of the thread that starts it,
 * the protection domains of the code on that thread's stack (each holding its class loader) and what that thread
 * inherited in turn. A container's request thread that the container's pool starts while this application's code is
 * on the stack (an {@code AsyncContext.start}, a dispatch, a write) carries this application's class loader for as
 * long as it lives, and passes it on to every thread it starts, including the one that replaces it when the container
 * renews its threads after an undeploy. Tomcat resets that context on its own threads only under a Security Manager.
 * Found in {@code TomcatRedeployIT}'s heap dump: {@code http-nio-exec-94}, started 15 s after the undeploy by such a
 * thread, kept the undeployed application's loader, and Tomcat's renewal, which only ends threads older than the
 * undeploy, never ended it. Every live thread whose inherited context names code of the application's loader gets a
 * context without that code (the rest kept, with its combiner). The domains are read through the public
 * {@link DomainCombiner} hand-over; the thread's field is set by reflection, which needs {@code java.lang} open to
 * the application ({@code --add-opens=java.base/java.lang=ALL-UNNAMED}, which Tomcat's {@code catalina.sh} and
 * WildFly's {@code standalone.sh} pass). From Java 24 a thread inherits no such context.
 *
 * <p><b>The context class loader</b>: a thread takes its starter's, and a WildFly worker thread that Undertow starts
 * while it runs this application's request keeps this application's loader while it waits for work (seen in
 * {@code WildFlyRedeployIT}'s heap dump). Every live thread whose context class loader is the application's (or one
 * below it) gets the container's instead, except the calling thread, which the container gave it for the undeploy.
 * Nothing of the application runs any more when this is called.
 */
@SuppressWarnings("removal") // AccessControlContext goes with the Security Manager; so does what this repairs
public final class ContainerThreads {
    /** How often the threads are looked over: a thread can start one more between two looks. */
    private static final int PASSES = 3;

    /**
     * What a release did: how many threads were given an access-control context without the application's code, why
     * that could not be done (when it could not), and how many threads were given the container's class loader.
     */
    public record Release(int contexts, Optional<String> impossible, int classLoaders) {
    }

    private ContainerThreads() {
    }

    /**
     * Makes every live thread let go of the application's loader (see the class comment); {@code containers} is the
     * class loader a thread gets instead of the application's as its context class loader.
     */
    public static Release letGoOf(ClassLoader loader, ClassLoader containers) {
        int classLoaders = 0;
        for (Thread thread : liveThreads()) {
            ClassLoader context = thread.getContextClassLoader();
            // not the calling thread: the container set the application's loader on it for this call, and needs it
            // until the call returns (Tomcat finds the application's JNDI context through it)
            if (thread != Thread.currentThread() && context != null && below(context, loader)) {
                thread.setContextClassLoader(containers);
                classLoaders++;
            }
        }
        Optional<Field> field = inheritedContextField();
        if (field.isEmpty()) {
            return new Release(0, Optional.empty(), classLoaders); // Java 24+: threads inherit no such context
        }
        if (System.getSecurityManager() != null) {
            return new Release(0, Optional.of("a Security Manager is installed (the container resets its threads'"
                    + " contexts itself then)"), classLoaders);
        }
        try {
            field.get().setAccessible(true);
        } catch (InaccessibleObjectException | SecurityException e) {
            return new Release(0, Optional.of("java.lang is not open to the application (start the JVM with"
                    + " --add-opens=java.base/java.lang=ALL-UNNAMED, as catalina.sh and standalone.sh do): "
                    + e.getMessage()), classLoaders);
        }
        int contexts = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            int now = 0;
            for (Thread thread : liveThreads()) {
                if (releaseFrom(thread, field.get(), loader)) {
                    now++;
                }
            }
            contexts += now;
            if (now == 0) {
                break;
            }
        }
        return new Release(contexts, Optional.empty(), classLoaders);
    }

    private static Optional<Field> inheritedContextField() {
        try {
            return Optional.of(Thread.class.getDeclaredField("inheritedAccessControlContext"));
        } catch (NoSuchFieldException e) {
            return Optional.empty();
        }
    }

    private static boolean releaseFrom(Thread thread, Field field, ClassLoader loader) {
        try {
            AccessControlContext inherited = (AccessControlContext) field.get(thread);
            if (inherited == null) {
                return false;
            }
            ProtectionDomain[] domains = domainsOf(inherited);
            ProtectionDomain[] kept = Arrays.stream(domains).filter(d -> d == null || d.getClassLoader() == null
                            || !below(d.getClassLoader(), loader))
                    .toArray(ProtectionDomain[]::new);
            if (kept.length == domains.length) {
                return false;
            }
            AccessControlContext without = new AccessControlContext(kept);
            DomainCombiner combiner = inherited.getDomainCombiner();
            field.set(thread, combiner == null ? without : new AccessControlContext(without, combiner));
            return true;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("java.lang.Thread's field became inaccessible after setAccessible", e);
        }
    }

    /** Whether {@code candidate} is the loader or one below it (a loader the application made). */
    private static boolean below(ClassLoader candidate, ClassLoader loader) {
        for (ClassLoader l = candidate; l != null; l = l.getParent()) {
            if (l == loader) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protection domains of a context, through its public hand-over: a context made of it with a combiner gives
     * the combiner its domains (as the assigned ones) when code runs privileged in it and asks for the context.
     */
    static ProtectionDomain[] domainsOf(AccessControlContext context) {
        AtomicReference<ProtectionDomain[]> assigned = new AtomicReference<>(new ProtectionDomain[0]);
        DomainCombiner reader = (current, given) -> {
            if (given != null) {
                assigned.set(given.clone());
            }
            return current;
        };
        AccessController.doPrivileged((PrivilegedAction<AccessControlContext>) AccessController::getContext,
                new AccessControlContext(context, reader));
        return assigned.get();
    }

    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int count = root.enumerate(threads, true);
        return new ArrayList<>(Arrays.asList(threads).subList(0, count));
    }
}
