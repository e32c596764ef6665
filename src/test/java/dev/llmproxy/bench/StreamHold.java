package dev.llmproxy.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Holds many slow SSE streams open at once (wrk cannot: it measures requests, not held streams). Opens {@code streams}
 * streaming chat completions at {@code perSecond}, counts each stream's events and checks it ended with all of them;
 * {@link #atPlateau} runs once every stream has been opened, while they are all still open.
 */
final class StreamHold {
    /** Asks for the usage chunk, so that a stream carries the same events through the proxy as from the mock. */
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
            + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Count slowly.\"}]}";

    /** What happened: how many streams were open at the same moment at most, how many ended whole or failed. */
    record Outcome(int requested, int peakOpen, int openAtFirstFailure, int completed, int failed,
                   Map<String, Integer> failures, double seconds) {
        /** Streams open at once without any failure so far: the peak, or the count when the first one failed. */
        int heldWithoutErrors() {
            return failed == 0 ? peakOpen : openAtFirstFailure;
        }
    }

    private final int streams;
    private final int perSecond;
    private final int expectedEvents;

    /** @param expectedEvents SSE events (blank-line terminated) a whole stream carries, [DONE] included */
    StreamHold(int streams, int perSecond, int expectedEvents) {
        this.streams = streams;
        this.perSecond = perSecond;
        this.expectedEvents = expectedEvents;
    }

    Outcome run(String url, String token, Duration timeout, Runnable atPlateau) throws Exception {
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(streams + 16);
        client.setMaxRequestsQueuedPerDestination(streams + 16);
        client.setConnectTimeout(30_000);
        client.setIdleTimeout(60_000);
        client.start();
        try {
            AtomicInteger open = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            AtomicInteger atFirstFailure = new AtomicInteger(-1);
            LongAdder completed = new LongAdder();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            CountDownLatch ended = new CountDownLatch(streams);
            long started = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                long due = started + i * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                client.newRequest(url).method(HttpMethod.POST)
                        .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token))
                        .body(new StringRequestContent("application/json", BODY))
                        .idleTimeout(30, TimeUnit.SECONDS)
                        .send(new Counter(open, peak, atFirstFailure, completed, failures, ended));
            }
            Thread.sleep(2_000);
            atPlateau.run();
            boolean all = ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!all) {
                failures.merge("still open at the timeout", (int) ended.getCount(), Integer::sum);
            }
            int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
            return new Outcome(streams, peak.get(), Math.max(0, atFirstFailure.get()), completed.intValue(), failed,
                    Map.copyOf(failures),
                    (System.nanoTime() - started) / 1e9);
        } finally {
            client.stop();
        }
    }

    /** One stream: counts events by their terminating blank line, across chunk boundaries. */
    private final class Counter implements Response.Listener {
        private final AtomicInteger open;
        private final AtomicInteger peak;
        private final AtomicInteger atFirstFailure;
        private final LongAdder completed;
        private final Map<String, Integer> failures;
        private final CountDownLatch ended;
        private int events;
        private boolean lastWasNewline;
        private boolean opened;

        Counter(AtomicInteger open, AtomicInteger peak, AtomicInteger atFirstFailure, LongAdder completed,
                Map<String, Integer> failures, CountDownLatch ended) {
            this.open = open;
            this.peak = peak;
            this.atFirstFailure = atFirstFailure;
            this.completed = completed;
            this.failures = failures;
            this.ended = ended;
        }

        @Override
        public void onHeaders(Response response) {
            if (response.getStatus() == 200) {
                opened = true;
                peak.accumulateAndGet(open.incrementAndGet(), Math::max);
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            while (content.hasRemaining()) {
                boolean newline = content.get() == '\n';
                if (newline && lastWasNewline) {
                    events++;
                }
                lastWasNewline = newline;
            }
        }

        @Override
        public void onComplete(Result result) {
            int stillOpen = opened ? open.decrementAndGet() : open.get();
            Optional<String> failure = result.isFailed()
                    ? Optional.of(cause(result.getFailure()))
                    : result.getResponse().getStatus() != 200
                    ? Optional.of("status " + result.getResponse().getStatus())
                    : events != expectedEvents ? Optional.of(events + " events instead of " + expectedEvents)
                    : Optional.empty();
            failure.ifPresentOrElse(f -> {
                atFirstFailure.compareAndSet(-1, stillOpen);
                failures.merge(f, 1, Integer::sum);
            }, completed::increment);
            ended.countDown();
        }
    }

    /** A failure's kind, without the connection details Jetty puts into its messages. */
    private static String cause(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure.getClass().getSimpleName() + (message.startsWith("Idle timeout") ? " (idle timeout)"
                : message.contains("ISHUT") || message.contains("EOF") ? " (server closed the connection)" : "");
    }
}
