package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact names, then the longest prefix; a Bedrock inference profile without a row of its own takes its model's. */
class PriceTableTest {
    private static Price price(String model, long input) {
        return new Price(model, input, null, null, input, "test");
    }

    private final PriceTable table = new PriceTable(Map.of(
            "anthropic.claude-3-5-haiku", price("anthropic.claude-3-5-haiku", 800_000),
            "anthropic.claude-3-haiku", price("anthropic.claude-3-haiku", 250_000),
            "eu.anthropic.claude-3-haiku", price("eu.anthropic.claude-3-haiku", 300_000),
            "amazon.nova-micro-v1:0", price("amazon.nova-micro-v1:0", 35_000)));

    @Test
    void anInferenceProfileTakesItsModelsPriceUnlessItHasItsOwn() {
        assertEquals("anthropic.claude-3-5-haiku",
                table.find("us.anthropic.claude-3-5-haiku-20241022-v1:0").orElseThrow().model());
        assertEquals("anthropic.claude-3-5-haiku",
                table.find("global.anthropic.claude-3-5-haiku-20241022-v1:0").orElseThrow().model());
        assertEquals("eu.anthropic.claude-3-haiku",
                table.find("eu.anthropic.claude-3-haiku-20240307-v1:0").orElseThrow().model(), "its own row first");
        assertEquals("amazon.nova-micro-v1:0", table.find("apac.amazon.nova-micro-v1:0").orElseThrow().model(),
                "an exact model id");
        assertTrue(table.find("xx.anthropic.claude-3-haiku").isEmpty(), "not a geography");
        assertTrue(table.find("us.unknown").isEmpty());
        assertEquals("anthropic.claude-3-haiku",
                table.find("anthropic.claude-3-haiku-20240307-v1:0").orElseThrow().model());
    }
}
