package dev.llmproxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A provider that fails on the wire, where an HTTP server library cannot: on 127.0.0.1, it reads each request whole
 * and then, by the first segment of its path ({@code /<fault>/v1/...}), resets the connection before any header
 * ({@code reset}: {@code SO_LINGER 0}, so the proxy sees a TCP RST), or sends a stream's status and first events and
 * then resets it ({@code cut}). It counts the requests it read per fault, which is how a test knows how many
 * attempts reached the provider.
 */
final class FaultServer implements AutoCloseable {
    /** One request as read: the fault and the path after it. */
    record Received(String fault, String path) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-server");
        t.setDaemon(true);
        return t;
    });

    FaultServer() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool.execute(this::accept);
    }

    /** The base URL of an upstream that fails with {@code fault}. */
    String baseUrl(String fault) {
        return "http://127.0.0.1:" + server.getLocalPort() + "/" + fault;
    }

    long count(String fault) {
        return received.stream().filter(r -> r.fault().equals(fault)).count();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                pool.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            String path = readRequest(socket.getInputStream());
            int slash = path.indexOf('/', 1);
            String fault = slash < 0 ? path.substring(1) : path.substring(1, slash);
            received.add(new Received(fault, slash < 0 ? "" : path.substring(slash)));
            if (fault.startsWith("cut")) {
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String events = path.endsWith("/v1/messages") ? ANTHROPIC_START : OPENAI_START;
                byte[] bytes = events.getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                MockProvider.sleep(200); // the proxy relays the first events before the cut
            }
            socket.setSoLinger(true, 0); // close() now sends a RST: "connection reset by peer"
        } catch (IOException e) {
            // the proxy went away first: nothing to do
        }
    }

    private static final String OPENAI_START = "data: {\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion.chunk\","
            + "\"model\":\"gpt-mock\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"half\"},"
            + "\"finish_reason\":null}]}\n\n";
    private static final String ANTHROPIC_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
            + "{\"id\":\"msg_cut\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-mock\",\"content\":[],"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\nevent: content_block_delta\ndata: {\"type\":"
            + "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"half\"}}\n\n";

    /** Reads the request head and its Content-Length body (the proxy sends bodies with a length); returns the path. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended in its head");
            }
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.readNBytes((int) length);
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        return requestLine.split(" ")[1];
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        pool.shutdownNow();
    }
}
