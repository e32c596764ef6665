package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Callers that keep calling the proxy at a steady pace until stopped, each on its own connection pool, some of them
 * streaming; every call's outcome is kept: when it started, how long it took, its status and error code, its request
 * id, and whether a stream ended complete. A call that is not answered within {@link #CALL_TIMEOUT} or whose
 * connection closes without an answer is an outcome too (status -1), never a lost one.
 */
final class SteadyLoad implements AutoCloseable {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call: {@code status} -1 when no answer came (timeout or connection closed), with the failure. */
    record Outcome(int caller, long startedAtMs, long tookMs, int status, String code, String requestId,
                   boolean stream, boolean complete, String failure) {
        boolean answered() {
            return status > 0;
        }

        boolean ok() {
            return status == 200 && complete;
        }
    }

    /** What a caller sends: its token and whether it streams. */
    record Caller(String token, boolean stream) {}

    private final String baseUrl;
    private final long origin = System.nanoTime();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads;
    private final List<Caller> callers;
    private final long paceMs;
    private volatile boolean stopped;

    /**
     * @param callers which caller {@code i} is (its token, whether it streams)
     * @param paceMs  the pause between one caller's calls
     */
    SteadyLoad(String baseUrl, int count, IntFunction<Caller> callers, long paceMs) {
        this.baseUrl = baseUrl;
        this.paceMs = paceMs;
        this.callers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            this.callers.add(callers.apply(i));
        }
        this.threads = Executors.newFixedThreadPool(count);
    }

    SteadyLoad start() {
        for (int i = 0; i < callers.size(); i++) {
            int caller = i;
            threads.submit(() -> run(caller));
        }
        return this;
    }

    /** Milliseconds since the load was made: the time base of {@link Outcome#startedAtMs}. */
    long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin);
    }

    private void run(int index) {
        Caller caller = callers.get(index);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        while (!stopped) {
            outcomes.add(once(http, index, caller.token(), caller.stream()));
            Readiness.sleep(paceMs);
        }
    }

    /** One call with {@code token}, on {@code http}, as this load makes them. */
    Outcome once(HttpClient http, int index, String token, boolean stream) {
        String body = "{\"model\":\"gpt-mock\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .timeout(CALL_TIMEOUT).header("Authorization", "Bearer " + token)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        long started = nowMs();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = nowMs() - started;
            String id = r.headers().firstValue(Contract.REQUEST_ID).orElse(null);
            boolean complete = r.statusCode() != 200 || !stream || r.body().contains("data: [DONE]");
            return new Outcome(index, started, took, r.statusCode(), code(r), id, stream, complete, null);
        } catch (Exception e) {
            return new Outcome(index, started, nowMs() - started, -1, null, null, stream, false, e.toString());
        }
    }

    private static String code(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            return null;
        }
        try {
            JsonNode error = JSON.readTree(r.body()).path("error");
            return error.path("code").asText("?") + (r.headers().firstValue("retry-after").isPresent() ? "" : "!no-retry-after");
        } catch (Exception e) {
            return "not-json";
        }
    }

    /** Stops the callers, waits for their last calls, and returns every outcome in the order the calls started. */
    List<Outcome> stop() throws InterruptedException {
        stopped = true;
        threads.shutdown();
        if (!threads.awaitTermination(CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
        List<Outcome> all = new ArrayList<>(outcomes);
        all.sort((a, b) -> Long.compare(a.startedAtMs(), b.startedAtMs()));
        return all;
    }

    /** Calls per status (and code, for refusals), e.g. {@code {200=2210, 503 database_unavailable=41}}. */
    static Map<String, Long> byStatus(List<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(
                o -> o.status() + (o.code() == null ? "" : " " + o.code()) + (o.ok() || o.status() != 200 ? ""
                        : " incomplete"), TreeMap::new, Collectors.counting()));
    }

    /** Stops the callers at once, when a test failed before {@link #stop}; after it, nothing is left to stop. */
    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            threads.shutdownNow();
        }
    }
}
