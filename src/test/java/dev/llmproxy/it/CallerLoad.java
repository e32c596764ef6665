package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Callers that keep calling the proxy, each its next call as soon as the last one ended, until told to stop, while
 * the deployment under them is redeployed or undeployed; every outcome is counted. A call the proxy answered carries
 * its request id, kept to look for its record. A stream counts as completed (its provider's end reached the
 * caller), told (it ended with the proxy's {@code proxy_shutting_down} event) or cut (neither: it stopped without a
 * word). A call that got no answer within {@link #CALL_TIMEOUT} hung.
 */
final class CallerLoad implements AutoCloseable {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long a caller waits after a refusal before its next call. */
    private static final long REFUSED_PAUSE_MS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one caller sends, again and again. */
    enum Call {
        CHAT("/v1/chat/completions", false), STREAM("/v1/chat/completions", true), MESSAGES_STREAM("/v1/messages", true);

        final String path;
        final boolean streamed;

        Call(String path, boolean streamed) {
            this.path = path;
            this.streamed = streamed;
        }
    }

    /** What happened to the calls; counts by outcome, e.g. {@code "200"}, {@code "503 proxy_shutting_down"}. */
    record Result(long calls, Map<String, Long> outcomes, Set<String> answered, long streamsCompleted,
                  long streamsTold, long streamsCut, long hung, List<String> cutEndings) {
        long count(String outcome) {
            return outcomes.getOrDefault(outcome, 0L);
        }

        @Override
        public String toString() {
            return calls + " calls: " + outcomes + "; " + answered.size() + " answered by the proxy; streams: "
                    + streamsCompleted + " completed, " + streamsTold + " told the proxy is going away, " + streamsCut
                    + " cut without a word; " + hung + " hung" + (cutEndings.isEmpty() ? ""
                    : "; how cut streams ended: " + cutEndings);
        }
    }

    private final String baseUrl;
    private final String openAiToken;
    private final String anthropicToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final LongAdder calls = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder told = new LongAdder();
    private final LongAdder cut = new LongAdder();
    private final LongAdder hung = new LongAdder();
    /** The last bytes of the first few streams that were cut, to see how. */
    private final List<String> cutEndings = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger openStreams = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Future<?>> running = new ArrayList<>();
    private ExecutorService callers;

    /** @param anthropicToken for {@link Call#MESSAGES_STREAM}; may be null when no caller sends it */
    CallerLoad(String baseUrl, String openAiToken, String anthropicToken) {
        this.baseUrl = baseUrl;
        this.openAiToken = openAiToken;
        this.anthropicToken = anthropicToken;
    }

    /** Starts {@code n} callers sending {@code call} for {@code model}. */
    CallerLoad start(int n, Call call, String model) {
        if (callers == null) {
            callers = Executors.newCachedThreadPool();
        }
        for (int i = 0; i < n; i++) {
            running.add(callers.submit(() -> {
                while (!stopping.get()) {
                    once(call, model);
                }
                return null;
            }));
        }
        return this;
    }

    /** Streams whose answer began (status 200) and has not ended yet. */
    int openStreams() {
        return openStreams.get();
    }

    /** Calls made so far. */
    long calls() {
        return calls.sum();
    }

    /** Stops the callers (each ends its call under way first) and says what happened. */
    Result stop() throws Exception {
        stopping.set(true);
        for (Future<?> caller : running) {
            Contract.join(caller, CALL_TIMEOUT.plusSeconds(30));
        }
        Map<String, Long> counted = new TreeMap<>();
        outcomes.forEach((k, v) -> counted.put(k, v.sum()));
        return new Result(calls.sum(), counted, Set.copyOf(answered), completed.sum(), told.sum(), cut.sum(),
                hung.sum(), List.copyOf(cutEndings));
    }

    private void once(Call call, String model) {
        calls.increment();
        java.util.concurrent.atomic.AtomicReference<HttpResponse.ResponseInfo> head =
                new java.util.concurrent.atomic.AtomicReference<>();
        try {
            HttpResponse<String> response;
            try {
                response = http.send(request(call, model), info -> {
                    head.set(info); // the status and headers, also when the body is cut afterwards
                    info.headers().firstValue(Contract.REQUEST_ID).ifPresent(answered::add);
                    if (call.streamed && info.statusCode() == 200) {
                        openStreams.incrementAndGet();
                    }
                    return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
                });
            } finally {
                if (call.streamed && head.get() != null && head.get().statusCode() == 200) {
                    openStreams.decrementAndGet();
                }
            }
            count(response.statusCode() + code(response));
            if (response.statusCode() != 200) {
                Thread.sleep(REFUSED_PAUSE_MS); // as a client backs off, rather than hammering a path that is away
            }
            if (call.streamed && response.statusCode() == 200) {
                streamEnded(call, response.body());
            }
        } catch (HttpTimeoutException e) {
            hung.increment();
            count("no answer within " + CALL_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            count("connection refused");
            pause();
        } catch (IOException e) {
            if (head.get() == null) {
                count("connection closed without an answer");
                pause();
            } else {
                count(head.get().statusCode() + " then the connection closed mid-body");
                if (call.streamed) {
                    cut.increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        }
    }

    private void pause() {
        try {
            Thread.sleep(REFUSED_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.set(true);
        }
    }

    private void streamEnded(Call call, String body) {
        String end = call == Call.MESSAGES_STREAM ? "event: message_stop" : "data: [DONE]";
        if (body.contains(end)) {
            completed.increment();
        } else if (lastEventSaysShuttingDown(call, body)) {
            told.increment();
        } else {
            cut.increment();
            if (cutEndings.size() < 3) {
                cutEndings.add(body.length() + " bytes, ending '" + body.substring(Math.max(0, body.length() - 300))
                        + "'");
            }
        }
    }

    /** The stream's last event is the proxy's error {@code proxy_shutting_down}, in the API's own shape. */
    private static boolean lastEventSaysShuttingDown(Call call, String body) {
        String[] events = body.strip().split("\n\n");
        String last = events[events.length - 1];
        String data = last.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).findFirst().orElse("");
        try {
            JsonNode json = JSON.readTree(data);
            if (call == Call.MESSAGES_STREAM) {
                return last.startsWith("event: error") && json.path("type").asText().equals("error")
                        && json.path("error").path("type").asText().equals("overloaded_error")
                        && json.path("error").path("code").asText().equals("proxy_shutting_down");
            }
            return json.path("error").path("code").asText().equals("proxy_shutting_down")
                    && !json.path("error").path("message").asText().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * " " + the proxy's error code, when the answer is one of its errors; " (container)" for the container's own
     * answer (Tomcat's JSON status, WildFly's HTML page) to a path no application serves.
     */
    private static String code(HttpResponse<String> response) {
        if (response.statusCode() < 400) {
            return "";
        }
        try {
            String code = JSON.readTree(response.body()).path("error").path("code").asText("");
            return code.isEmpty() ? " (container)" : " " + code;
        } catch (IOException e) {
            return " (container)";
        }
    }

    private HttpRequest request(Call call, String model) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + call.path)).timeout(CALL_TIMEOUT)
                .header("content-type", "application/json");
        String body;
        if (call == Call.MESSAGES_STREAM) {
            request.header("x-api-key", anthropicToken).header("anthropic-version", "2023-06-01");
            body = "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        } else {
            request.header("Authorization", "Bearer " + openAiToken);
            body = "{\"model\":\"" + model + "\",\"stream\":" + call.streamed
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    @Override
    public void close() {
        stopping.set(true);
        if (callers != null) {
            callers.shutdownNow();
            try {
                callers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
