package dev.llmproxy.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** {@link MockLlm} in a JVM of its own (its sockets and CPU apart from the client's), started and stopped here. */
final class MockProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private MockProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static MockProcess start(String classpath, Path log) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(javaBin, "-Xms256m", "-Xmx1g", "-cp", classpath,
                MockLlm.class.getName(), "0")).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("MOCK READY ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the mock has exited
                    }
                }, "mock-stdout");
                drain.setDaemon(true);
                drain.start();
                return new MockProcess(process, Integer.parseInt(line.substring("MOCK READY ".length()).trim()));
            }
        }
        throw new IllegalStateException("The mock exited before it listened; see " + log);
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
