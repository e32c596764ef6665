package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} (#6), after traffic of its own: Prometheus text that passes the rules of {@code promtool check
 * metrics} (see {@link MetricsLint}), with the call histograms, upstream failures and retries, the caches, the
 * record queue and the JVM; and the bearer protection of {@code metrics-token}.
 */
interface MetricsContract extends Contract {
    /** A model name only a caller could invent: neither priced nor named by the project. */
    String INVENTED_MODEL = "caller-invented-model-8d1f";

    /** What the scrape must show after {@link #trafficForTheMetrics()}. */
    List<String> EXPECTED = List.of(
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
            "jvm_memory_used_bytes{");

    @Test
    default void metricsPassPromtoolAndShowTheCallsAfterTraffic() throws Exception {
        assertEquals(401, metrics(null).statusCode(), "metrics-token is set");
        assertEquals(401, metrics("wrong-token-0123456789").statusCode());
        trafficForTheMetrics();
        // The records are written in the background: scrape until they are counted.
        HttpResponse<String> scraped = Poll.until(Duration.ofSeconds(10), "more than 50 records written and counted",
                () -> metrics(Deployment.METRICS_TOKEN),
                r -> r.statusCode() == 200 && value(r.body(), "llmproxy_records_written_total") > 50);
        assertEquals(200, scraped.statusCode());
        assertEquals("text/plain;version=0.0.4;charset=utf-8",
                scraped.headers().firstValue("content-type").orElse("").toLowerCase().replace(" ", ""));
        String body = scraped.body();
        for (String expected : EXPECTED) {
            assertTrue(body.contains(expected), expected + " in /metrics:\n" + body);
        }
        assertTrue(value(body, "llmproxy_records_written_total") > 50, "records written counted");
        assertTrue(body.contains("model=\"other\""), "an unknown model is counted as other");
        assertTrue(!body.contains(INVENTED_MODEL), "a caller's model name never becomes a label");

        List<String> problems = MetricsLint.problems(body);
        assertTrue(problems.isEmpty(), "the rules of promtool check metrics:\n" + String.join("\n", problems)
                + "\nin /metrics:\n" + body);
        MetricsLint.promtool(body).ifPresent(promtool ->
                assertEquals(0, promtool.exitCode(), "promtool check metrics:\n" + promtool.output()));
    }

    /**
     * Calls that leave a mark in every series of {@link #EXPECTED}: answered chats (histograms, time to first byte),
     * a rate-limit refusal (429), an upstream that fails and is retried, a response-cache hit, a token checked
     * again and again (token cache hits), and more than 50 records in all.
     */
    private void trafficForTheMetrics() throws Exception {
        // model labels come from the price table (#13): gpt-mock is priced, a caller's invention is not
        Http.Response priced = admin().put("/manage/prices/gpt-mock", "{\"input_per_mtok_usd\":2.5,"
                + "\"cached_input_per_mtok_usd\":1.25,\"output_per_mtok_usd\":10}"); // as BudgetContract prices it
        assertEquals(200, priced.status(), priced.body());
        String project = openAiProject("metrics");
        String token = token(project, "");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, call(chat(token, "gpt-mock", false)).statusCode());
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(200, call(get(token, "/v1/models")).statusCode());
        }

        assertEquals(200, call(chat(token, INVENTED_MODEL, false)).statusCode(), "the mock answers any model");

        String limited = token(project, ",\"rpm_limit\":1");
        assertEquals(200, call(chat(limited, "gpt-mock", false)).statusCode());
        assertEquals(429, call(chat(limited, "gpt-mock", false)).statusCode());

        String failing = project("metrics-failing", "openai", mock().baseUrl() + "/u/fail500metrics-" + db().kind(),
                MockProvider.OPENAI_KEY);
        assertEquals(500, call(chat(token(failing, ""), "gpt-mock", false)).statusCode(), "passed on (a POST's 500 is not retried)");

        String cached = openAiProject("metrics-cached");
        Http.Response on = admin().patch("/manage/projects/" + cached, "{\"cache_ttl_seconds\":300}");
        assertEquals(200, on.status(), on.body());
        String cachedToken = token(cached, "");
        byte[] deterministic = ("{\"model\":\"gpt-mock\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"count me\"}]}").getBytes(StandardCharsets.UTF_8);
        for (String expected : List.of("fwd=miss", "hit")) {
            HttpResponse<String> r = call(post(cachedToken, "/v1/chat/completions", deterministic)
                    .header("Cache-Control", "max-age=300"));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("cache-status").orElse("").contains(expected),
                    r.headers().firstValue("cache-status").orElse(""));
        }
    }

    private HttpResponse<String> metrics(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server().baseUrl() + "/metrics"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }
}
