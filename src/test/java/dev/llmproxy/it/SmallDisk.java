package dev.llmproxy.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small filesystem of the test's own for a SQLite database: a tmpfs of {@link #SIZE} mounted under target/it-work,
 * which the test fills to the last byte (the disk is full: every write fails with ENOSPC, as on a real full disk) and
 * empties again. Mounting needs root, which the build machines and CI have; without it the test fails and says so
 * (it is never skipped). Made for one deployment by {@link DeploymentExtension}: {@link #open} mounts it and names
 * the database file on it, {@link #close} unmounts it once the container has stopped.
 */
final class SmallDisk implements DeploymentExtension.OwnDatabase {
    static final String SIZE = "64m";
    private final Path mountPoint = ItEnv.workDir("small-disk");
    private final Path filler = mountPoint.resolve("filler");
    private boolean mounted;

    @Override
    public TestDatabase open() {
        run("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0700", "tmpfs", mountPoint.toString());
        mounted = true;
        Path file = mountPoint.resolve("llm-proxy.db");
        return new TestDatabase("sqlite", "jdbc:sqlite:" + file, "", "", file);
    }

    /** Writes a file until the filesystem has no byte left; returns how many bytes that took. */
    long fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size = block.length; size > 0; ) {
                try {
                    out.write(block, 0, size);
                    out.flush();
                    written += size;
                } catch (IOException full) {
                    size /= 2; // the last blocks: down to single bytes, until not one more fits
                }
            }
        } catch (IOException closingAFullFile) {
            // what was written stays
        }
        return written;
    }

    /** Frees the disk again. */
    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() {
        if (mounted) {
            run("umount", mountPoint.toString());
            mounted = false;
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (the disk tests mount a tmpfs,"
                        + " which needs root; running as uid " + uid() + "): " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }
}
