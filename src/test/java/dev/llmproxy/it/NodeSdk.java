package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs src/test/node/sdk-check.mjs (the official OpenAI and Anthropic SDKs) and returns what it printed. */
final class NodeSdk {
    private NodeSdk() {
    }

    static JsonNode run(Map<String, String> environment) {
        Path dir = Path.of(System.getProperty("it.node.dir", "src/test/node"));
        try {
            ProcessBuilder builder = new ProcessBuilder("node", "sdk-check.mjs").directory(dir.toFile());
            builder.environment().putAll(environment);
            Process node = builder.start();
            byte[] stderr;
            String stdout;
            try (var out = node.getInputStream(); var err = node.getErrorStream()) {
                stdout = new String(out.readAllBytes());
                stderr = err.readAllBytes();
            }
            if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("sdk-check.mjs failed:\n" + stdout + "\n" + new String(stderr));
            }
            String[] lines = stdout.strip().split("\n");
            return new ObjectMapper().readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run node in " + dir + " (run npm ci there)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
