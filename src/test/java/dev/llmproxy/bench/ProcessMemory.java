package dev.llmproxy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Memory figures of a process: resident set from /proc, Java heap in use from the proxy's own /metrics. */
final class ProcessMemory {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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

    /** Heap in use (all heap pools of jvm_memory_used_bytes) in MiB, read from the proxy's /metrics. */
    static double heapUsedMib(String proxyBaseUrl) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(proxyBaseUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + proxyBaseUrl + "/metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
