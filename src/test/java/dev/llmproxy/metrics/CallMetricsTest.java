package dev.llmproxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.usage.RequestRecord;
import dev.llmproxy.usage.TokenUsage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallMetricsTest {

    private static RequestRecord record(String model, int status, String code, Integer ttfb, int attempts,
                                        boolean hit) {
        return new RequestRecord("r", Instant.now(), "p", "t", "openai", model, "POST", "/v1/chat/completions",
                status, code, false, ttfb, 12, TokenUsage.NONE, 0L, false, "default", attempts, hit);
    }

    @Test
    void callsBecomeHistogramsAndCounters() {
        try (Metrics metrics = new Metrics()) {
            CallMetrics calls = new CallMetrics(metrics.registry());
            calls.record(record("gpt-4o", 200, null, 5, 1, false));
            calls.record(record("gpt-4o", 200, null, 7, 3, false));
            calls.record(record(null, 401, "token_invalid", null, 0, false));
            calls.record(record("gpt-4o", 200, null, 1, 0, true));
            calls.record(record("gpt-4o", 502, "upstream_unavailable", null, 2, false));
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

    @Test
    void modelLabelsAreBounded() {
        ModelLabel labels = new ModelLabel(2);
        assertEquals("a", labels.of("a"));
        assertEquals("b", labels.of("b"));
        assertEquals(ModelLabel.OTHER, labels.of("c"));
        assertEquals("a", labels.of("a"));
        assertEquals(ModelLabel.NONE, labels.of(null));
    }
}
