package dev.llmproxy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian's package) with bench/wrk/chat.lua and reads the line the script prints when it is done. */
final class Wrk {
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([0-9.]+)");

    /** One wrk run: answered requests, errors and the latency distribution in microseconds. */
    record Result(long requests, double seconds, long non2xx, long socketErrors, long p50Us, long p90Us, long p99Us,
                  long maxUs) {
        double rps() {
            return requests / seconds;
        }

        long errors() {
            return non2xx + socketErrors;
        }
    }

    private final Path script;

    Wrk(Path script) {
        this.script = script;
    }

    /**
     * @param token bearer token for the proxy, or empty for the mock and nginx
     */
    Result run(String url, String token, int connections, int seconds) {
        int threads = Math.min(connections, 2);
        List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), url);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("BENCH_TOKEN", token);
            Process wrk = builder.start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(seconds + 60L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + command + "\n" + output);
            }
            return parse(output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run wrk (apt-get install wrk)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result parse(String output) {
        String line = output.lines().filter(l -> l.startsWith("WRK ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no result line:\n" + output));
        Map<String, Double> f = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            f.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return new Result(f.get("requests").longValue(), f.get("duration_us") / 1e6, f.get("non2xx").longValue(),
                (long) (f.get("connect") + f.get("read") + f.get("write") + f.get("timeout")),
                f.get("p50_us").longValue(), f.get("p90_us").longValue(), f.get("p99_us").longValue(),
                f.get("max_us").longValue());
    }
}
