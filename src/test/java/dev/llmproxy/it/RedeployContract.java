package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.it.CallerLoad.Call;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Redeploys and undeploys under load (#14): the WAR is replaced again and again while callers go on, and afterwards
 * nothing of the earlier deployments is left in the container (threads, class loaders, memory); an undeploy in the
 * middle of 200 calls, streams among them, loses no record of a call that was answered and ends every open stream
 * with the proxy's {@code proxy_shutting_down} event. Only a dedicated class runs it (TomcatRedeployIT): it
 * redeploys and undeploys the application under the other tests.
 */
interface RedeployContract extends Contract {
    /** How much more live heap (after a full GC) the container may hold after the redeploys than before. */
    long HEAP_MARGIN_BYTES = 20_000_000;
    /** How much more metaspace: a class loader of this WAR that stayed would hold far more (about 60 MB). */
    long METASPACE_MARGIN_BYTES = 15_000_000;
    /** What a caller may be answered while the application is away, besides the proxy's answers. */
    Set<String> CLEAR_REFUSALS = Set.of("200", "503 proxy_shutting_down", "404 (container)", "503 (container)",
            "connection refused");

    /** How many times the WAR is replaced. */
    int redeploys();

    /** The container's class loader of a web application (a leaked deployment keeps one more alive). */
    String applicationClassLoader();

    /**
     * Between two looks at the container's JVM: what lets the container end or renew the threads that ran the
     * undeployed application. Tomcat renews a request thread after its next request: requests of every thread.
     */
    default void letTheContainerRenewItsThreads() {
        requestsOnEveryThread();
    }

    /** The container's own leak report, when it has one: fails if it names this application. */
    default void containerReportsNoLeak() {
    }

    @Test
    default void redeploysUnderLoadAndLeavesNoThreadClassLoaderOrMemoryBehind() throws Exception {
        Issued token = issue(openAiProject("redeploy"), "");
        runLoad(token, Duration.ofSeconds(3)); // what the application loads lazily is loaded before the first look
        JvmProbe.Snapshot before = JvmProbe.take(server());
        long loaders = before.instancesOf(applicationClassLoader());
        System.out.printf("[redeploy] %s before: %s, %d %s, %d threads%n", server().name(), before.memory(), loaders,
                applicationClassLoader(), before.threads().size());

        CallerLoad load = new CallerLoad(server().baseUrl(), token.token(), null)
                .start(3, Call.CHAT, "gpt-mock").start(1, Call.STREAM, "gpt-mock");
        CallerLoad.Result result;
        long started = System.nanoTime();
        try {
            for (int i = 1; i <= redeploys(); i++) {
                server().replaceWar();
                long callsNow = load.calls();
                Poll.until(Duration.ofSeconds(30), "the callers are served by redeployment " + i,
                        () -> load.calls() > callsNow + 8);
            }
        } finally {
            result = load.stop();
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.printf("[redeploy] %s: %d redeploys in %d ms under load; %s%n", server().name(), redeploys(),
                tookMs, result);
        assertCallsEndedClearly(result);
        assertEveryAnswerRecorded(result, List.of(token.id()));

        runLoad(token, Duration.ofSeconds(3)); // the same warm-up as before the first look
        JvmProbe.Snapshot after = awaitLoaders(loaders, "the earlier deployments' class loaders collected");
        System.out.printf("[redeploy] %s after %d redeploys: %s (%+.1f MB heap, %+.1f MB metaspace), %d %s,"
                        + " %d threads%n", server().name(), redeploys(), after.memory(),
                (after.liveHeapBytes() - before.liveHeapBytes()) / 1e6,
                (after.metaspaceBytes() - before.metaspaceBytes()) / 1e6, after.instancesOf(applicationClassLoader()),
                applicationClassLoader(), after.threads().size());
        // one deployment's threads, not eleven
        assertEquals(1, after.threadsNamed(Pattern.compile("llm-proxy-usage-writer")), after.threads().toString());
        assertTrue(after.threadsNamed(Pattern.compile("llm-proxy-background")) <= 1, after.threads().toString());
        assertTrue(after.threadsNamed(Pattern.compile("llm-proxy-upstream-scheduler")) <= 1, after.threads().toString());
        assertEquals(0, after.threadsNamed(Pattern.compile("llm-proxy-liquibase")), after.threads().toString());
        assertTrue(after.threadsNamed(Pattern.compile("llm-proxy-.*")) <= before.threadsNamed(Pattern.compile(
                "llm-proxy-.*")) + 64, "at most one upstream client's pool more: " + after.threads());
        assertTrue(after.liveHeapBytes() <= before.liveHeapBytes() + HEAP_MARGIN_BYTES, "live heap after a full GC"
                + " within 20 MB of where it was: " + before.memory() + " before, " + after.memory() + " after");
        assertTrue(after.metaspaceBytes() <= before.metaspaceBytes() + METASPACE_MARGIN_BYTES, "metaspace within"
                + " 15 MB of where it was: " + before.memory() + " before, " + after.memory() + " after");
        containerReportsNoLeak();
    }

    @Test
    default void anUndeployAmid200CallsRecordsEveryAnswerAndTellsEveryOpenStream() throws Exception {
        Issued openAi = issue(openAiProject("undeploy-200"), "");
        Issued anthropic = issue(anthropicProject("undeploy-200"), "");
        long loaders = JvmProbe.take(server()).instancesOf(applicationClassLoader());
        CallerLoad load = new CallerLoad(server().baseUrl(), openAi.token(), anthropic.token())
                .start(40, Call.STREAM, "mock-endless").start(20, Call.MESSAGES_STREAM, "mock-endless");
        CallerLoad.Result result;
        boolean undeployed = false;
        long undeployMs;
        try {
            Poll.until(Duration.ofSeconds(60), "60 streams open", () -> load.openStreams() == 60);
            load.start(140, Call.CHAT, "mock-delay"); // 1.5 s each at the provider: always some in flight
            Poll.until(Duration.ofSeconds(60), "200 calls in flight",
                    () -> admin().get("/health/ready").json().path("calls_in_flight").asInt() >= 190);
            long started = System.nanoTime();
            server().undeploy();
            undeployed = true;
            undeployMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            long callsNow = load.calls();
            Poll.until(Duration.ofSeconds(30), "the callers went on calling the undeployed path",
                    () -> load.calls() > callsNow + 200);
        } finally {
            result = load.stop();
            if (undeployed) {
                long started = System.nanoTime();
                server().redeploy(); // the class's other test finds the application deployed
                System.out.printf("[undeploy] deployed again in %d ms%n",
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
            }
        }
        System.out.printf("[undeploy] %s on %s: undeployed amid 200 calls in %d ms; %s%n", server().name(),
                db().kind(), undeployMs, result);
        assertCallsEndedClearly(result);
        assertEquals(60, result.streamsTold(), "every stream open at the undeploy was told: " + result);
        assertTrue(result.count("200") >= 140, "the calls in flight were answered: " + result);
        assertEveryAnswerRecorded(result, List.of(openAi.id(), anthropic.id()));
        JvmProbe.Snapshot after = awaitLoaders(loaders, "the undeployed application's class loader collected");
        System.out.printf("[undeploy] %s after the undeploy and the deployment again: %s, %d %s%n", server().name(),
                after.memory(), after.instancesOf(applicationClassLoader()), applicationClassLoader());
        containerReportsNoLeak();
    }

    /**
     * Waits (collecting again and again) until no more of the container's application class loaders are alive than
     * {@code expected}; fails with a heap dump to look at what keeps one.
     */
    private JvmProbe.Snapshot awaitLoaders(long expected, String what) throws Exception {
        try {
            return Poll.until(Duration.ofSeconds(60), what, () -> {
                letTheContainerRenewItsThreads();
                return JvmProbe.take(server());
            }, s -> s.instancesOf(applicationClassLoader()) <= expected);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; heap dump: " + JvmProbe.heapDump(server()), e);
        }
    }

    /** Nothing hung, no stream was cut without a word, and every answer was one the caller can act on. */
    private static void assertCallsEndedClearly(CallerLoad.Result result) {
        assertEquals(0, result.hung(), "no call hung: " + result);
        assertEquals(0, result.streamsCut(), "no stream was cut without a word: " + result);
        Set<String> unclear = new HashSet<>(result.outcomes().keySet());
        unclear.removeAll(CLEAR_REFUSALS);
        assertTrue(unclear.isEmpty(), "every call was answered or clearly refused, not " + unclear + ": " + result);
    }

    /** Every call the proxy answered (its request id came back) has its record, once written. */
    private void assertEveryAnswerRecorded(CallerLoad.Result result, List<String> tokenIds) throws Exception {
        String sql = "SELECT request_id FROM request_records WHERE token_id IN ('" + String.join("','", tokenIds) + "')";
        Set<String> recorded = Poll.until(Duration.ofSeconds(30), "every answered call recorded",
                () -> new HashSet<>(db().strings(sql)), ids -> ids.containsAll(result.answered()));
        System.out.printf("[records] %d calls answered by the proxy, %d recorded%n", result.answered().size(),
                recorded.size());
    }

    /** One request of the container, answered or not. */
    default void oneRequest() {
        liveCheck().join();
    }

    /**
     * Traffic, as a server under use has: 40 requests at once, so that every request thread of the container runs
     * one. Tomcat replaces the threads that ran the undeployed application after their next request (its
     * ThreadLocalLeakPreventionListener); until then one started while that application ran still holds its class
     * loader (in the access-control context Java 17 gives a new thread; see server-config/tomcat/README.md).
     */
    private void requestsOnEveryThread() {
        List<java.util.concurrent.CompletableFuture<Void>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(liveCheck());
        }
        calls.forEach(java.util.concurrent.CompletableFuture::join);
    }

    /** {@code GET /health/live}, done when answered or failed. */
    private java.util.concurrent.CompletableFuture<Void> liveCheck() {
        return http().sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server().baseUrl()
                        + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).<Void>thenApply(r -> null).exceptionally(e -> null);
    }

    /** A few callers for a while, so that the application has loaded and cached what it does lazily. */
    private void runLoad(Issued token, Duration duration) throws Exception {
        CallerLoad load = new CallerLoad(server().baseUrl(), token.token(), null)
                .start(3, Call.CHAT, "gpt-mock").start(1, Call.STREAM, "gpt-mock");
        Thread.sleep(duration.toMillis());
        CallerLoad.Result warm = load.stop();
        assertEquals(Set.of("200"), warm.outcomes().keySet(), warm.toString());
    }
}
