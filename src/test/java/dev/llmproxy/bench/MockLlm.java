package dev.llmproxy.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The benchmark's OpenAI-compatible provider: a Jetty server that answers {@code POST …/v1/chat/completions} with a
 * fixed completion (with usage), never blocking a thread on a delay. The path before {@code /v1} sets the knobs:
 * <ul>
 *   <li>{@code /delay-20/v1/…}: answer (or start the stream) 20 ms after the request body has arrived;</li>
 *   <li>{@code /sse-30x1000/v1/…}: a streamed request ({@code "stream":true}) gets 30 events, one per 1000 ms,
 *       then a usage chunk and {@code [DONE]} (default: 3 events, no pause).</li>
 * </ul>
 * Runs in its own JVM ({@code java … MockLlm <port>}) so that its sockets and CPU are its own; prints
 * {@code MOCK READY <port>} when it listens.
 */
public final class MockLlm extends Handler.Abstract {
    private static final Pattern PATH = Pattern.compile("^(?:/delay-(\\d+))?(?:/sse-(\\d+)x(\\d+))?(/v1/.+)$");
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField EVENT_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE,
            "text/event-stream");
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\","
            + "\"created\":1767225600,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"Hello from the benchmark mock. This answer has a realistic size.\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":14,"
            + "\"total_tokens\":38}}").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNK = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1767225600,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
            + "\"tick \"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST = ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1767225600,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":24,"
            + "\"completion_tokens\":30,\"total_tokens\":54}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.US_ASCII);

    private final Scheduler scheduler;

    private MockLlm(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("mock");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(300_000);
        server.addConnector(connector);
        server.setHandler(new MockLlm(server.getScheduler()));
        server.start();
        System.out.println("MOCK READY " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Matcher path = PATH.matcher(Request.getPathInContext(request));
        if (!path.matches() || !path.group(4).endsWith("/chat/completions")) {
            Response.writeError(request, response, callback, 404);
            return true;
        }
        long delayMs = path.group(1) == null ? 0 : Long.parseLong(path.group(1));
        int events = path.group(2) == null ? 3 : Integer.parseInt(path.group(2));
        long intervalMs = path.group(3) == null ? 0 : Long.parseLong(path.group(3));
        Content.Source.asString(request, StandardCharsets.UTF_8, Promise.from(body -> {
            Runnable answer = STREAM.matcher(body).find()
                    ? () -> stream(response, callback, events, intervalMs)
                    : () -> complete(response, callback);
            if (delayMs > 0) {
                scheduler.schedule(answer, delayMs, TimeUnit.MILLISECONDS);
            } else {
                answer.run();
            }
        }, callback::failed));
        return true;
    }

    private static void complete(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, COMPLETION.length);
        response.write(true, ByteBuffer.wrap(COMPLETION), callback);
    }

    private void stream(Response response, Callback callback, int events, long intervalMs) {
        response.setStatus(200);
        response.getHeaders().put(EVENT_STREAM);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        new Ticker(response, callback, events, intervalMs).run();
    }

    /** Writes one event, then schedules the next once the write is done; the last write ends the response. */
    private final class Ticker implements Runnable, Callback {
        private final Response response;
        private final Callback done;
        private final long intervalMs;
        private int left;

        Ticker(Response response, Callback done, int events, long intervalMs) {
            this.response = response;
            this.done = done;
            this.left = events;
            this.intervalMs = intervalMs;
        }

        @Override
        public void run() {
            if (left-- > 0) {
                response.write(false, ByteBuffer.wrap(CHUNK), this);
            } else {
                response.write(true, ByteBuffer.wrap(LAST), done);
            }
        }

        @Override
        public void succeeded() {
            if (intervalMs > 0 && left > 0) {
                scheduler.schedule(this, intervalMs, TimeUnit.MILLISECONDS);
            } else {
                run();
            }
        }

        @Override
        public void failed(Throwable x) {
            done.failed(x);
        }
    }
}
