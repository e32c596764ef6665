package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTest {
    private static Price price(String model, long in, Long cached, Long write, long out) {
        return new Price(model, in, cached, write, out, "test");
    }

    @Test
    void costChargesUncachedCachedWrittenAndOutputTokensAtTheirPricesRoundingOnce() {
        Price p = price("m", 2_500_000, 1_250_000L, 3_000_000L, 10_000_000);
        // 10 uncached x 2.5 + 2 cached x 1.25 + 4 out x 10 = 67.5 micro-USD, half up
        assertEquals(68, p.costMicros(new TokenUsage(12, 4, 2, 0, 0, false)));
        // 5 uncached x 2.5 + 2 cached x 1.25 + 3 written x 3 + 0 out = 12.5 + 2.5 + 9 = 24
        assertEquals(24, p.costMicros(new TokenUsage(10, 0, 2, 3, 0, false)));
        // cache prices default to the input price
        assertEquals(5, price("m", 1_000_000, null, null, 0).costMicros(new TokenUsage(5, 0, 5, 0, 0, false)));
        // a million output tokens at $15 are $15
        assertEquals(15_000_000, price("m", 0, null, null, 15_000_000).costMicros(new TokenUsage(0, 1_000_000, 0, 0, 0, false)));
    }

    @Test
    void modelsMatchExactlyThenByLongestPrefix() {
        PriceTable table = new PriceTable(Map.of("gpt-4o", price("gpt-4o", 1, null, null, 1),
                "gpt-4o-mini", price("gpt-4o-mini", 2, null, null, 2),
                "claude-sonnet-4", price("claude-sonnet-4", 3, null, null, 3),
                "claude-sonnet-4-5", price("claude-sonnet-4-5", 4, null, null, 4)));
        assertEquals("gpt-4o", table.find("gpt-4o").orElseThrow().model());
        assertEquals("gpt-4o", table.find("gpt-4o-2024-08-06").orElseThrow().model());
        assertEquals("gpt-4o-mini", table.find("gpt-4o-mini-2024-07-18").orElseThrow().model());
        assertEquals("claude-sonnet-4-5", table.find("claude-sonnet-4-5-20250929").orElseThrow().model());
        assertEquals("claude-sonnet-4", table.find("claude-sonnet-4-20250514").orElseThrow().model());
        assertTrue(table.find("llama-3-70b").isEmpty(), "unknown models get no price");
        assertTrue(table.find(null).isEmpty());
    }

    @Test
    void shippedDefaultsLoadWithTheirDate() {
        Map<String, Price> defaults = DefaultPrices.load();
        Price mini = defaults.get("gpt-4o-mini");
        assertEquals(150_000, mini.inputMicrosPerMTok());
        assertEquals(600_000, mini.outputMicrosPerMTok());
        assertTrue(mini.source().startsWith("default 20"));
        assertEquals(3_750_000L, defaults.get("claude-sonnet-4-5").cacheWriteMicrosPerMTok());
    }

    /** Gemini's models generally available (https://ai.google.dev/gemini-api/docs/pricing), thinking billed as output. */
    @Test
    void geminiModelsArePricedWithTheirThoughtsAsOutputAndCachedContentAsCachedInput() {
        PriceTable table = new PriceTable(DefaultPrices.load());
        for (String model : new String[] {"gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
                "gemini-2.0-flash", "gemini-2.0-flash-lite"}) {
            assertTrue(table.find(model).isPresent(), model);
        }
        assertEquals(100_000, table.find("gemini-2.5-flash-lite-preview-06-17").orElseThrow().inputMicrosPerMTok(),
                "a preview finds its own family, not the longer-named one's");
        assertEquals(75_000, table.find("gemini-2.0-flash-lite-001").orElseThrow().inputMicrosPerMTok());
        // 2.5 Flash: 1,000 in (400 cached) and 100 out plus 900 thoughts: 600 x 0.30 + 400 x 0.03 + 1,000 x 2.50
        Price flash = table.find("gemini-2.5-flash").orElseThrow();
        assertEquals(180 + 12 + 2_500, flash.costMicros(new TokenUsage(1_000, 1_000, 400, 0, 900, false)));
    }
}
