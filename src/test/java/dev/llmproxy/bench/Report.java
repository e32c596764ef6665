package dev.llmproxy.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The proxy bench's results as Markdown tables, proxy figures set against the direct call and nginx. */
final class Report {
    private Report() {
    }

    static String markdown(BenchSettings s, Instant started, Wrk.Result mockFast, Wrk.Result mockSlow,
                           List<ProxyBench.Row> rows, List<String> log) {
        ProxyBench.Row direct = rows.get(0);
        Optional<ProxyBench.Row> nginx = rows.stream().filter(r -> r.name().startsWith("nginx")).findFirst();
        StringBuilder md = new StringBuilder();
        md.append("Run ").append(started).append(", ").append(Duration.between(started, Instant.now()).toSeconds())
                .append(" s; ").append(Runtime.getRuntime().availableProcessors()).append(" cores; Java ")
                .append(System.getProperty("java.version")).append(" (client and mock); wrk runs ")
                .append(s.seconds()).append(" s each after a ").append(s.warmupSeconds())
                .append(" s warm-up at 16 connections.\n\n");
        md.append(String.format(Locale.ROOT, "Mock alone, 64 connections: %.0f requests/s without latency, %.0f "
                        + "requests/s with %d ms latency (at most %.0f possible).%n%n", mockFast.rps(), mockSlow.rps(),
                s.latencyMs(), s.latencyMs() == 0 ? Double.NaN : 64 * 1000.0 / s.latencyMs()));

        md.append("**Latency at one request at a time** (mock without latency; µs):\n\n");
        md.append("| path | p50 | p90 | p99 | max | added p50 | added p99 | errors |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Wrk.Result base = direct.latency();
        for (ProxyBench.Row r : rows) {
            Wrk.Result l = r.latency();
            boolean isBase = r == direct;
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %d |%n", r.name(), l.p50Us(),
                    l.p90Us(), l.p99Us(), l.maxUs(), isBase ? "" : String.valueOf(l.p50Us() - base.p50Us()),
                    isBase ? "" : String.valueOf(l.p99Us() - base.p99Us()), l.errors()));
        }
        md.append(String.format(Locale.ROOT, "%n**Throughput at 64 connections** (mock with %d ms latency):%n%n",
                s.latencyMs()));
        md.append("| path | requests/s | × nginx | p50 ms | p99 ms | errors | records |\n"
                + "|---|---:|---:|---:|---:|---:|---|\n");
        for (ProxyBench.Row r : rows) {
            Wrk.Result t = r.throughput();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %.1f | %.1f | %d | %s |%n", r.name(), t.rps(),
                    nginx.map(n -> String.format(Locale.ROOT, "%.2f", t.rps() / n.throughput().rps())).orElse("–"),
                    t.p50Us() / 1000.0, t.p99Us() / 1000.0, t.errors(), r.records()));
        }
        md.append(String.format(Locale.ROOT,
                "%n**Slow streams** (%d requested at %d/s; each %d events %d ms apart):%n%n", s.streams(),
                s.streamRate(), s.streamEvents(), s.streamIntervalMs()));
        md.append("| path | held without errors | open at once (peak) | whole | failed | heap used while holding |"
                + " RSS while holding | failures |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (ProxyBench.Row r : rows) {
            StreamHold.Outcome o = r.streams();
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %s |%n", r.name(),
                    o.heldWithoutErrors(), o.peakOpen(),
                    o.completed(), o.failed(), mib(r.streamHeapMib()),
                    mib(r.streamRssMib()), o.failures().isEmpty() ? "" : o.failures().toString().replace("|", "/")));
        }
        md.append("\n**Resident memory** (RSS of the server process; nginx: master and workers):\n\n");
        md.append("| path | idle | peak at 64 connections | holding the streams |\n|---|---:|---:|---:|\n");
        for (ProxyBench.Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", r.name(), mib(r.idleRssMib()),
                    mib(r.loadRssMib()), mib(r.streamRssMib())));
        }
        md.append("\n<details><summary>Run log</summary>\n\n```\n");
        log.forEach(l -> md.append(l).append('\n'));
        md.append("```\n</details>\n");
        return md.toString();
    }

    static String mib(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.0f MiB", value);
    }
}
