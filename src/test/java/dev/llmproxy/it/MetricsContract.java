package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} (#6), after every other test's traffic: Prometheus text that {@code promtool check metrics}
 * accepts, with the call histograms, upstream failures and retries, the caches, the record queue and the JVM; and
 * the bearer protection of {@code metrics-token}.
 */
abstract class MetricsContract extends CacheContract {
    static final String METRICS_TOKEN = "metrics-test-token-0123456789";

    private HttpResponse<String> metrics(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(90)
    void metricsPassPromtoolAndShowTheCallsAfterTraffic() throws Exception {
        assertEquals(401, metrics(null).statusCode(), "metrics-token is set");
        assertEquals(401, metrics("wrong-token-0123456789").statusCode());
        HttpResponse<String> scraped = metrics(METRICS_TOKEN);
        assertEquals(200, scraped.statusCode());
        assertEquals("text/plain;version=0.0.4;charset=utf-8",
                scraped.headers().firstValue("content-type").orElse("").toLowerCase().replace(" ", ""));
        String body = scraped.body();
        for (String expected : List.of(
                "llmproxy_requests_seconds_bucket{model=\"gpt-mock\",provider=\"openai\",status=\"200\",le=\"0.005\"}",
                "llmproxy_time_to_first_byte_seconds_count{model=\"gpt-mock\",provider=\"openai\",status=\"200\"}",
                "llmproxy_requests_seconds_count{model=\"gpt-mock\",provider=\"openai\",status=\"429\"}",
                "llmproxy_upstream_retries_total{provider=\"openai",
                "llmproxy_upstream_errors_total{provider=\"openai",
                "llmproxy_cache_hits_total{provider=\"openai\"}",
                "cache_gets_total{cache=\"token_checks\",result=\"hit\"}",
                "cache_gets_total{cache=\"responses\",result=\"hit\"}",
                "llmproxy_records_written_total ",
                "llmproxy_records_queued ",
                "llmproxy_calls_in_flight ",
                "jvm_memory_used_bytes{")) {
            assertTrue(body.contains(expected), expected + " in /metrics:\n" + body);
        }
        assertTrue(value(body, "llmproxy_records_written_total") > 50, "records written counted");

        Path file = Files.createTempFile("metrics", ".txt");
        Files.writeString(file, body);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + verdict);
    }

    private static double value(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }
}
