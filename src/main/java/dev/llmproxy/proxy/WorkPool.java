package dev.llmproxy.proxy;

import dev.llmproxy.ApplicationThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Work} on a fixed pool of daemon threads with a bounded queue, started with the application and stopped with
 * it (after the calls in flight have drained), so no thread outlives an undeploy.
 */
final class WorkPool implements Work, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkPool.class.getName());
    private final ThreadPoolExecutor executor;

    WorkPool(int threads, int queue) {
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                ApplicationThreads.numbered("llm-proxy-work"), new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public boolean offer(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Tasks waiting for a thread, for the metrics. */
    int queued() {
        return executor.getQueue().size();
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.log(Level.WARNING, "Proxy work threads still busy after 10 s at shutdown; interrupting them");
            executor.shutdownNow();
        }
    }
}
