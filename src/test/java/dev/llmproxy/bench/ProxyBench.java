package dev.llmproxy.bench;

import dev.llmproxy.it.AppServer;
import dev.llmproxy.it.Deployments;
import dev.llmproxy.it.FreePorts;
import dev.llmproxy.it.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The proxy-path benchmark (bench/proxy.sh): in one run on this machine, the mock provider alone, nginx in front
 * of it, and LLM Proxy in Tomcat and WildFly on SQLite and PostgreSQL, every request recorded. See bench/README.md
 * for what each figure means; the report goes to stdout and to {@code <bench.out>/proxy-report.md}.
 */
public final class ProxyBench {
    private static final String CHAT = "/v1/chat/completions";
    private final BenchSettings settings;
    private final Wrk wrk;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    private ProxyBench(BenchSettings settings) {
        this.settings = settings;
        this.wrk = new Wrk(settings.wrkScript());
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        new ProxyBench(settings).run();
    }

    /** One line of the report: a way to reach the mock (direct, nginx, a proxy deployment). */
    record Row(String name, Wrk.Result latency, Wrk.Result throughput, double idleRssMib, double loadRssMib,
               StreamHold.Outcome streams, double streamHeapMib, double streamRssMib, String records) {
    }

    private void run() throws Exception {
        Files.createDirectories(settings.out());
        String classpath = Files.readString(settings.classpathFile()).trim();
        String testClasses = Path.of("target/test-classes").toAbsolutePath() + ":"
                + Path.of("target/classes").toAbsolutePath();
        Instant started = Instant.now();
        try (MockProcess mock = MockProcess.start(testClasses + ":" + classpath, settings.out().resolve("mock.log"))) {
            say("Mock provider on port " + mock.port() + " (pid " + mock.pid() + ")");
            measure("mock alone: warm-up", () -> wrk.run(mock.baseUrl() + CHAT, "", 16,
                    settings.warmupSeconds()));
            Wrk.Result mockFast = measure("mock alone, 64 connections, no latency",
                    () -> wrk.run(mock.baseUrl() + CHAT, "", 64, settings.seconds()));
            Wrk.Result mockSlow = measure("mock alone, 64 connections, " + settings.latencyMs() + " ms latency",
                    () -> wrk.run(mock.baseUrl() + slowPrefix() + CHAT, "", 64, settings.seconds()));
            rows.add(baseline("direct (mock)", mock.baseUrl(), List.of(mock.pid())));
            try (Nginx nginx = Nginx.start(settings.out().resolve("nginx"), FreePorts.any(), mock.port())) {
                rows.add(baseline("nginx " + nginxVersion(), nginx.baseUrl(), nginx.pids()));
            }
            for (String target : settings.targets()) {
                rows.add(proxy(target, mock));
            }
            String report = Report.markdown(settings, started, mockFast, mockSlow, rows, log);
            Files.writeString(settings.out().resolve("proxy-report.md"), report);
            System.out.println();
            System.out.println(report);
            System.out.println("Report written to " + settings.out().resolve("proxy-report.md"));
        }
    }

    /** The wrk runs of one path; the peak RSS of its processes during the 64-connection run. */
    private record Calls(Wrk.Result warmUp, Wrk.Result latency, Wrk.Result throughput, double peakRssMib) {
    }

    /**
     * What every path gets: a warm-up, one connection against the mock without latency, 64 connections against the
     * mock with latency while the RSS is sampled; a flight recording over the two measured runs when asked for.
     */
    private Calls calls(String name, String fastUrl, String fastToken, String slowUrl, String slowToken,
                        List<Long> pids, Optional<Path> recordTo) {
        Wrk.Result warmUp = measure(name + ": warm-up",
                () -> wrk.run(fastUrl, fastToken, 16, settings.warmupSeconds()));
        Optional<FlightRecording> recording = recordTo.map(file -> FlightRecording.start(pids.get(0), file));
        Wrk.Result latency = measure(name + ": 1 connection", () -> wrk.run(fastUrl, fastToken, 1, settings.seconds()));
        try (ProcessMemory.PeakRss peak = new ProcessMemory.PeakRss(pids)) {
            Wrk.Result throughput = measure(name + ": 64 connections",
                    () -> wrk.run(slowUrl, slowToken, 64, settings.seconds()));
            recording.ifPresent(r -> say(name + ": flight recording " + r.stop()));
            return new Calls(warmUp, latency, throughput, peak.peakMib());
        }
    }

    private Row baseline(String name, String baseUrl, List<Long> pids) throws Exception {
        double idle = ProcessMemory.rssMib(pids);
        Calls calls = calls(name, baseUrl + CHAT, "", baseUrl + slowPrefix() + CHAT,
                "", pids, Optional.empty());
        double[] atPlateau = new double[1];
        StreamHold.Outcome streams = holdStreams(name, baseUrl + streamPrefix() + CHAT, "",
                () -> atPlateau[0] = ProcessMemory.rssMib(pids));
        return new Row(name, calls.latency(), calls.throughput(), idle, calls.peakRssMib(), streams, Double.NaN,
                atPlateau[0], "n/a");
    }

    private Row proxy(String target, MockProcess mock) throws Exception {
        String[] parts = target.split("/");
        TestDatabase db = Deployments.database(parts[1], "bench");
        Path dataDir = Files.createTempDirectory(settings.out(), "data-");
        String managementToken = "bench-" + UUID.randomUUID() + UUID.randomUUID();
        AppServer server = Deployments.create(parts[0], db,
                // the stream run holds 9,500 streams on one token, to measure what the container holds: the
                // per-token limit on concurrent calls (256 by default) would refuse all past it
                Map.of("llmproxy.data-dir", dataDir.toString(), "llmproxy.management-token", managementToken,
                        "llmproxy.max-concurrent-calls-per-token", "0"),
                Map.of(), Map.of("maxConnections", String.valueOf(settings.tomcatMaxConnections())));
        String name = server.name().replace("sqlite", "SQLite").replace("postgresql", "PostgreSQL");
        try {
            Duration startup = server.start();
            say(name + " ready in " + startup.toMillis() + " ms at " + server.baseUrl());
            List<Long> pid = List.of(server.javaPid());
            Thread.sleep(settings.idleSettleSeconds() * 1000L);
            double idle = ProcessMemory.rssMib(pid);
            say(name + ": idle RSS " + Report.mib(idle));
            ProxyAdmin admin = new ProxyAdmin(server.baseUrl(), managementToken);
            ProxyAdmin.Project fast = admin.project("bench-fast", mock.baseUrl());
            ProxyAdmin.Project slow = admin.project("bench-slow", mock.baseUrl() + slowPrefix());
            ProxyAdmin.Project sse = admin.project("bench-sse", mock.baseUrl() + streamPrefix());
            String url = server.baseUrl() + CHAT;
            String files = target.replace('/', '-');
            Calls calls = calls(name, url, fast.token(), url, slow.token(), pid, settings.profile()
                    ? Optional.of(settings.out().resolve(files + ".jfr")) : Optional.empty());
            // Checked before the stream test, which may take the server down (Tomcat: out of heap).
            long answered = calls.warmUp().requests() + calls.latency().requests() + calls.throughput().requests();
            long recorded = admin.recordedRequests(fast.id()) + admin.recordedRequests(slow.id());
            String records = "calls: " + recorded + " of " + answered + " answered"
                    + (recorded >= answered ? "" : " MISSING");
            say(name + ": records " + records);
            double[] plateau = {Double.NaN, Double.NaN};
            StreamHold.Outcome streams = holdStreams(name, url, sse.token(), () -> {
                plateau[1] = ProcessMemory.rssMib(pid);
                try {
                    plateau[0] = admin.heapUsedMib();
                    if (settings.profile()) {
                        say(name + ": heap histogram while holding the streams " + FlightRecording.classHistogram(
                                pid.get(0), settings.out().resolve(files + "-streams-histogram.txt")));
                    }
                } catch (RuntimeException e) {
                    say(name + ": could not read the heap while holding the streams: " + e.getMessage());
                }
            });
            try {
                long streamRecords = admin.recordedRequests(sse.id());
                records += "; streams: " + streamRecords + " of " + streams.completed() + " whole"
                        + (streamRecords >= streams.completed() ? "" : " MISSING");
            } catch (RuntimeException e) {
                records += "; stream records not readable: " + e.getMessage();
            }
            say(name + ": records " + records);
            if (server.log().contains("OutOfMemoryError")) {
                say(name + ": the server ran out of heap during the stream test (see its log)");
            }
            return new Row(name, calls.latency(), calls.throughput(), idle, calls.peakRssMib(), streams, plateau[0],
                    plateau[1], records);
        } finally {
            server.stop();
        }
    }

    private StreamHold.Outcome holdStreams(String name, String url, String token, Runnable atPlateau) throws Exception {
        say(name + ": opening " + settings.streams() + " streams at " + settings.streamRate() + "/s, "
                + settings.streamEvents() + " events " + settings.streamIntervalMs() + " ms apart");
        StreamHold.Outcome outcome = new StreamHold(settings.streams(), settings.streamRate(),
                settings.streamEvents() + 2).run(url, token, Duration.ofSeconds(settings.streamEvents()
                * settings.streamIntervalMs() / 1000 + 120), atPlateau);
        say(name + ": streams " + outcome);
        return outcome;
    }

    private <T> T measure(String what, Supplier<T> run) {
        T result = run.get();
        say(what + ": " + result);
        return result;
    }

    private String slowPrefix() {
        return "/delay-" + settings.latencyMs();
    }

    private String streamPrefix() {
        return "/sse-" + settings.streamEvents() + "x" + settings.streamIntervalMs();
    }

    private void say(String line) {
        String stamped = Instant.now().toString().substring(11, 19) + " " + line;
        log.add(stamped);
        System.out.println(stamped);
        System.out.flush();
    }

    private static String nginxVersion() {
        try {
            Process p = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out.replaceFirst(".*nginx/", "");
        } catch (Exception e) {
            return "";
        }
    }
}
