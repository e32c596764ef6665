package dev.llmproxy.it;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container's JVM holds, read with jcmd as an administrator would look for a leak: live heap and the
 * instances of each class after a full GC ({@code GC.class_histogram}, which collects first), metaspace in use
 * ({@code GC.heap_info}), and the names of its threads ({@code Thread.print}).
 */
final class JvmProbe {
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE);
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");
    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" #", Pattern.MULTILINE);

    /** One look at the JVM: live bytes and instances per class after a full GC, metaspace used, thread names. */
    record Snapshot(long liveHeapBytes, long metaspaceBytes, Map<String, Long> instances, List<String> threads) {
        long instancesOf(String className) {
            return instances.getOrDefault(className, 0L);
        }

        long threadsNamed(Pattern name) {
            return threads.stream().filter(t -> name.matcher(t).matches()).count();
        }

        @Override
        public String toString() {
            return memory() + ", " + threads.size() + " threads";
        }

        /** Live heap and metaspace in MB, for the test's report. */
        String memory() {
            return String.format("live heap %.1f MB, metaspace %.1f MB", liveHeapBytes / 1e6, metaspaceBytes / 1e6);
        }
    }

    private JvmProbe() {
    }

    /** Writes a heap dump of the live objects (for a leak a test found), and says where. */
    static java.nio.file.Path heapDump(AppServer server) {
        java.nio.file.Path file = ItEnv.workDir("heap").resolve("leak.hprof");
        server.jcmd("GC.heap_dump", file.toString());
        return file;
    }

    /** Collects (the histogram's full GC, run twice so that what the first one finalized goes too) and looks. */
    static Snapshot take(AppServer server) {
        server.jcmd("GC.run");
        String histogram = server.jcmd("GC.class_histogram");
        Map<String, Long> instances = new TreeMap<>();
        for (String line : histogram.lines().toList()) {
            Matcher row = HISTOGRAM_ROW.matcher(line);
            if (row.find()) {
                instances.merge(row.group(3), Long.parseLong(row.group(1)), Long::sum); // a class per loader
            }
        }
        Matcher total = HISTOGRAM_TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IllegalStateException("No total in GC.class_histogram:\n" + Readiness.tail(histogram));
        }
        Matcher metaspace = METASPACE.matcher(server.jcmd("GC.heap_info"));
        if (!metaspace.find()) {
            throw new IllegalStateException("No metaspace figure in GC.heap_info");
        }
        List<String> threads = THREAD.matcher(server.jcmd("Thread.print")).results().map(m -> m.group(1)).toList();
        return new Snapshot(Long.parseLong(total.group(2)), Long.parseLong(metaspace.group(1)) * 1024, instances,
                threads);
    }
}
