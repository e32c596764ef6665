package dev.llmproxy.proxy;

import jakarta.servlet.AsyncContext;

/**
 * Calls into the container that may start one of its threads (handing work to its request thread pool) are made
 * with the container's class loader as the calling thread's context class loader. A thread takes its context class
 * loader from the thread that starts it, and WildFly's pool (JBoss Threads' EnhancedQueueExecutor) starts a thread
 * on the submitting one and keeps the loader in each task too: submitted while the application's loader was set, it
 * kept the undeployed application in memory for as long as that thread lived (found by {@code WildFlyRedeployIT},
 * #14). Tomcat sets its own threads' loader, so there it changes nothing.
 */
final class ContainerCalls {
    /** The Servlet API's loader: the container's (Tomcat's common loader, WildFly's servlet API module). */
    private static final ClassLoader CONTAINER = AsyncContext.class.getClassLoader();

    private ContainerCalls() {
    }

    /** {@code async.start(task)}: the task still runs with the application's loader, the container sets it. */
    static void start(AsyncContext async, Runnable task) {
        run(() -> async.start(task));
    }

    /** {@code async.dispatch()}. */
    static void dispatch(AsyncContext async) {
        run(async::dispatch);
    }

    private static void run(Runnable call) {
        Thread thread = Thread.currentThread();
        ClassLoader own = thread.getContextClassLoader();
        thread.setContextClassLoader(CONTAINER);
        try {
            call.run();
        } finally {
            thread.setContextClassLoader(own);
        }
    }
}
