package dev.llmproxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.usage.Price;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.RequestRecord;
import dev.llmproxy.usage.TokenUsage;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallMetricsTest {

    private static RequestRecord record(String model, int status, String code, Integer ttfb, int attempts,
                                        boolean hit) {
        return new RequestRecord("r", Instant.now(), "p", "t", "openai", model, "POST", "/v1/chat/completions",
                "chat.completions", status, code, false, ttfb, 12, TokenUsage.NONE, 0L, false, "default", attempts, hit);
    }

    @Test
    void callsBecomeHistogramsAndCounters() {
        try (Metrics metrics = new Metrics()) {
            CallMetrics calls = new CallMetrics(metrics.registry(), CallMetricsTest::prices);
            calls.record(record("gpt-4o", 200, null, 5, 1, false), m -> false);
            calls.record(record("gpt-4o", 200, null, 7, 3, false), m -> false);
            calls.record(record(null, 401, "token_invalid", null, 0, false), m -> false);
            calls.record(record("gpt-4o", 200, null, 1, 0, true), m -> false);
            calls.record(record("gpt-4o", 502, "upstream_unavailable", null, 2, false), m -> false);
            String text = metrics.scrape();
            assertTrue(text.contains("llmproxy_requests_seconds_count{model=\"gpt-4o\",provider=\"openai\","
                    + "status=\"200\"} 3"), text);
            assertTrue(text.contains("llmproxy_requests_seconds_bucket{model=\"gpt-4o\",provider=\"openai\","
                    + "status=\"200\",le=\"0.025\"} 3"), text);
            assertTrue(text.contains("llmproxy_time_to_first_byte_seconds_count{model=\"gpt-4o\",provider=\"openai\","
                    + "status=\"200\"} 3"), text);
            assertTrue(text.contains("model=\"none\",provider=\"openai\",status=\"401\""), text);
            assertTrue(text.contains("llmproxy_upstream_retries_total{provider=\"openai\"} 3.0"), text);
            assertTrue(text.contains("llmproxy_upstream_errors_total{provider=\"openai\"} 4.0"), text);
            assertTrue(text.contains("llmproxy_cache_hits_total{provider=\"openai\"} 1.0"), text);
        }
    }

    @Test
    void failedAttemptsCountRetriesAndAFailedLastAttempt() {
        assertEquals(0, CallMetrics.failedAttempts(record("m", 200, null, 1, 1, false)));
        assertEquals(2, CallMetrics.failedAttempts(record("m", 200, null, 1, 3, false)));
        assertEquals(2, CallMetrics.failedAttempts(record("m", 429, null, 1, 2, false)));
        assertEquals(1, CallMetrics.failedAttempts(record("m", 504, "upstream_timeout", null, 1, false)));
        assertEquals(0, CallMetrics.failedAttempts(record("m", 403, "model_not_allowed", null, 0, false)));
    }

    private static PriceTable prices() {
        return new PriceTable(Map.of("gpt-4o", new Price("gpt-4o", 2_500_000, null, null, 10_000_000, "test"),
                "gpt-4o-mini", new Price("gpt-4o-mini", 150_000, null, null, 600_000, "test")));
    }

    @Test
    void modelLabelsComeFromThePriceTableAndTheProjectNeverFromTheCaller() {
        ModelLabel labels = new ModelLabel(200, CallMetricsTest::prices);
        assertEquals("gpt-4o-mini", labels.of("gpt-4o-mini-2024-07-18", m -> false), "a dated variant: its price entry");
        assertEquals("gpt-4o", labels.of("gpt-4o", m -> false));
        assertEquals("my-local-llama", labels.of("my-local-llama", "my-local-llama"::equals), "named by the project");
        for (int i = 0; i < 1_000; i++) {
            assertEquals(ModelLabel.OTHER, labels.of("garbage-" + i, m -> false), "a caller's invention");
        }
        assertEquals(ModelLabel.NONE, labels.of(null, m -> false));
    }

    @Test
    void modelLabelsAreBoundedWhateverTheConfiguration() {
        ModelLabel labels = new ModelLabel(2, CallMetricsTest::prices);
        assertEquals("a", labels.of("a", m -> true));
        assertEquals("b", labels.of("b", m -> true));
        assertEquals(ModelLabel.OTHER, labels.of("c", m -> true));
        assertEquals("a", labels.of("a", m -> true));
    }
}
