package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a script of src/test/node (the official OpenAI and Anthropic SDKs) and returns the JSON it printed last. */
final class NodeSdk {
    private NodeSdk() {
    }

    /** sdk-check.mjs: every SDK call the proxy must carry. */
    static JsonNode run(Map<String, String> environment) {
        return run("sdk-check.mjs", environment);
    }

    static JsonNode run(String script, Map<String, String> environment) {
        Path dir = Path.of(System.getProperty("it.node.dir", "src/test/node"));
        try {
            ProcessBuilder builder = new ProcessBuilder("node", script).directory(dir.toFile())
                    .redirectErrorStream(true); // one stream: node cannot block on a full stderr pipe
            builder.environment().putAll(environment);
            Process node = builder.start();
            String stdout;
            try (var out = node.getInputStream()) {
                stdout = new String(out.readAllBytes());
            }
            if (!node.waitFor(120, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException(script + " failed:\n" + stdout);
            }
            String[] lines = stdout.strip().split("\n");
            return new ObjectMapper().readTree(lines[lines.length - 1]); // warnings (npm, node) come before it
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run node in " + dir + " (run npm ci there)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
