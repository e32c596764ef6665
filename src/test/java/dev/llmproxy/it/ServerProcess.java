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

    /** The first Java process among this process and its descendants. */
    long javaPid() {
        return javaProcesses().findFirst()
                .orElseThrow(() -> new IllegalStateException("No Java process under " + process.pid())).pid();
    }

    /** A thread dump of every Java process of the server (for a test that timed out waiting on it). */
    String threadDump() {
        StringBuilder dump = new StringBuilder();
        javaProcesses().forEach(h -> {
            try {
                Process jcmd = new ProcessBuilder("jcmd", String.valueOf(h.pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                dump.append(new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                dump.append("jcmd failed: ").append(e).append('\n');
            }
        });
        return dump.toString();
    }

    /** Runs a jcmd diagnostic command (e.g. {@code GC.class_histogram}) on the server's JVM; returns its output. */
    String jcmd(String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("jcmd", String.valueOf(javaPid())));
        args.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException(args + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private java.util.stream.Stream<ProcessHandle> javaProcesses() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false));
    }
}
