package dev.llmproxy;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes every thread of the application: a daemon with the application's class loader, holding nothing of an earlier
 * deployment. On Java 17 a new thread keeps the access-control context of the thread that starts it, the code on its
 * stack and the context that thread inherited in turn. Container request threads started while an earlier deployment
 * ran carry that deployment's code in theirs, and a thread of this application that one of them happened to start
 * (Jetty's scheduler, on the first call after a redeploy) kept the undeployed application in memory for as long as
 * this one ran (found in {@code TomcatRedeployIT}'s heap dump, #14). Started in {@code doPrivileged}, a thread inherits
 * only the code above it, this class's. (From Java 24 a thread inherits no such context; the call stays harmless.)
 */
public final class ApplicationThreads implements ThreadFactory {
    private final String name;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    private ApplicationThreads(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /** Threads all named {@code name}: for a pool of one, or a thread of its own. */
    public static ApplicationThreads named(String name) {
        return new ApplicationThreads(name, false);
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, … */
    public static ApplicationThreads numbered(String prefix) {
        return new ApplicationThreads(prefix, true);
    }

    @Override
    @SuppressWarnings("removal") // AccessController goes with the Security Manager; what it does here, Java 24+ does itself
    public Thread newThread(Runnable task) {
        String threadName = numbered ? name + "-" + count.incrementAndGet() : name;
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            thread.setContextClassLoader(ApplicationThreads.class.getClassLoader());
            return thread;
        });
    }
}
