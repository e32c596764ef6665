package dev.llmproxy.accesstoken;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Entra ID's token endpoint as the tests need it: it answers as told, counts the requests and keeps their forms. */
final class MockTokenEndpoint implements AutoCloseable {
    /** What the next requests are answered with. */
    record Answer(int status, String body, long delayMs) {
        static Answer token(String value, long lifetimeSeconds) {
            return new Answer(200, "{\"token_type\":\"Bearer\",\"expires_in\":" + lifetimeSeconds
                    + ",\"ext_expires_in\":" + lifetimeSeconds + ",\"access_token\":\"" + value + "\"}", 0);
        }

        Answer delayed(long millis) {
            return new Answer(status, body, millis);
        }
    }

    final List<String> forms = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    final AtomicInteger issued = new AtomicInteger();
    volatile Answer answer = null;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    MockTokenEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI authority() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
        return forms.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            forms.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            paths.add(ex.getRequestURI().getPath());
            Answer a = answer;
            if (a == null) { // a fresh token each time: tok-1, tok-2, ...
                a = Answer.token("tok-" + issued.incrementAndGet(), 3599);
            }
            if (a.delayMs() > 0) {
                Thread.sleep(a.delayMs());
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(a.status(), bytes.length);
            ex.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
