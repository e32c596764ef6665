package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JDK Flight Recorder recording of a server JVM ({@code -Dbench.profile=true}), taken with jcmd over the latency
 * and throughput runs; read it with {@code jfr print --events jdk.ExecutionSample} or JDK Mission Control.
 */
final class FlightRecording {
    private final long pid;
    private final Path file;

    private FlightRecording(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    static FlightRecording start(long pid, Path file) {
        jcmd(pid, "JFR.start", "name=bench", "settings=profile", "filename=" + file);
        return new FlightRecording(pid, file);
    }

    /** Stops the recording; returns the file it was written to. */
    Path stop() {
        jcmd(pid, "JFR.stop", "name=bench");
        return file;
    }

    /** What the heap holds, by class ({@code jcmd GC.class_histogram}), written to {@code file}; returns the file. */
    static Path classHistogram(long pid, Path file) {
        try {
            java.nio.file.Files.writeString(file, jcmd(pid, "GC.class_histogram"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    private static String jcmd(long pid, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("jcmd", String.valueOf(pid)));
        command.addAll(List.of(args));
        try {
            Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
