package dev.llmproxy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The proxy bench's knobs, from system properties (bench/README.md lists them), checked before anything starts. */
record BenchSettings(Path out, Path classpathFile, Path wrkScript, List<String> targets, int seconds,
                     int warmupSeconds, int latencyMs, int streams, int streamRate, int streamEvents,
                     int streamIntervalMs, int idleSettleSeconds, int tomcatMaxConnections, boolean profile) {

    private static final List<String> KNOWN_TARGETS = List.of("tomcat/sqlite", "tomcat/postgresql", "wildfly/sqlite",
            "wildfly/postgresql");

    static BenchSettings fromSystemProperties() {
        List<String> targets = Arrays.stream(System.getProperty("bench.targets", String.join(",", KNOWN_TARGETS))
                .split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        for (String target : targets) {
            if (!KNOWN_TARGETS.contains(target)) {
                throw new IllegalArgumentException("bench.targets: unknown target '" + target + "'; known: "
                        + KNOWN_TARGETS);
            }
        }
        return new BenchSettings(Path.of(System.getProperty("bench.out", "target/bench")).toAbsolutePath(),
                existing("bench.classpath.file"), existing("bench.wrk.script"), targets,
                integer("bench.seconds", 20, 1), integer("bench.warmup.seconds", 60, 0),
                integer("bench.latency.ms", 20, 0), integer("bench.streams", 9_500, 1),
                integer("bench.stream.rate", 1_000, 1), integer("bench.stream.events", 30, 1),
                integer("bench.stream.interval.ms", 1_000, 0), integer("bench.idle.seconds", 10, 0),
                integer("bench.tomcat.max-connections", 20_000, 1), Boolean.getBoolean("bench.profile"));
    }

    private static int integer(String name, int fallback, int min) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim().replace("_", ""));
            if (parsed < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static Path existing(String name) {
        String value = System.getProperty(name);
        if (value == null || !Files.exists(Path.of(value))) {
            throw new IllegalArgumentException(name + " must name an existing file (bench/proxy.sh sets it), got "
                    + value);
        }
        return Path.of(value);
    }
}
