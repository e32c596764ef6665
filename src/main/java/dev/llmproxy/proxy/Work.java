package dev.llmproxy.proxy;

/**
 * Where the proxy path runs what may wait on the database (a token check the cache cannot answer, shared rate limits,
 * budget reservations and settlements), so that no container, Jetty client or scheduler thread ever does.
 */
interface Work {
    /** Runs the task on a work thread; false, without running it, when every thread is busy and the queue full. */
    boolean offer(Runnable task);
}
