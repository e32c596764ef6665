package dev.llmproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The resident set of processes, from /proc. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** VmRSS in MiB, summed over the given processes (nginx: master and workers). */
    static double rssMib(List<Long> pids) {
        long kib = 0;
        for (long pid : pids) {
            try {
                kib += Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).sum();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the memory of process " + pid, e);
            }
        }
        return kib / 1024.0;
    }

    /** Samples the resident set every 250 ms while it runs, keeping the largest value. */
    static final class PeakRss implements AutoCloseable {
        private final AtomicLong peakKib = new AtomicLong();
        private final Thread sampler;

        PeakRss(List<Long> pids) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakKib.accumulateAndGet((long) (rssMib(pids) * 1024), Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        double peakMib() {
            return peakKib.get() / 1024.0;
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }
}
