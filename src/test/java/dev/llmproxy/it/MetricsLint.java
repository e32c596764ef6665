package dev.llmproxy.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checks a Prometheus text exposition with src/test/node/metrics-check.mjs, which applies the rules of
 * {@code promtool check metrics} with nothing but Node.js (which the build needs anyway): a fresh machine has no
 * promtool. Where promtool is on the PATH, {@link #promtool} runs it as well.
 */
final class MetricsLint {
    private MetricsLint() {
    }

    /** The problems metrics-check.mjs finds, one a line; empty when the exposition passes. */
    static List<String> problems(String exposition) {
        Run run = run(List.of("node", "metrics-check.mjs"), nodeDir(), exposition);
        if (run.exitCode() == 0) {
            return List.of();
        }
        if (run.exitCode() == 1) {
            return run.output().lines().filter(l -> !l.isBlank()).toList();
        }
        throw new IllegalStateException("metrics-check.mjs could not check (exit " + run.exitCode() + "; run npm ci in "
                + nodeDir() + "):\n" + run.output());
    }

    /** {@code promtool check metrics} on the exposition when promtool is on the PATH: its exit code and output. */
    static Optional<Run> promtool(String exposition) {
        return onPath("promtool").map(p -> run(List.of(p.toString(), "check", "metrics"), Path.of("."), exposition));
    }

    record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command, Path dir, String input) {
        try {
            Path file = Files.createTempFile("metrics", ".txt");
            try {
                Files.writeString(file, input);
                Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(file.toFile())
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish within 60 s:\n" + output);
                }
                return new Run(process.exitValue(), output);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command + " in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path nodeDir() {
        return Path.of(System.getProperty("it.node.dir", "src/test/node"));
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }
}
