package dev.llmproxy.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A container JVM started from its own launch script, its console captured to a file. */
final class ServerProcess {
    private final Process process;
    private final Path console;

    private ServerProcess(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    static ServerProcess start(List<String> command, Map<String, String> env, Path workDir, Path console) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
            builder.environment().putAll(env);
            return new ServerProcess(builder.start(), console);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, which both containers turn into an orderly shutdown; SIGKILL if it takes too long. */
    void stop(Duration grace) {
        ProcessHandle.of(process.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroy));
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Server did not exit within " + timeout + "; log: " + console);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String console() {
        try {
            return Files.readString(console);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
