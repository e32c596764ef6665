package dev.llmproxy.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dated price list shipped in the WAR ({@code default-prices.json}), in micro-USD per million tokens. */
public final class DefaultPrices {
    static final String RESOURCE = "/dev/llmproxy/usage/default-prices.json";

    private DefaultPrices() {
    }

    public static Map<String, Price> load() {
        try (InputStream in = DefaultPrices.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the WAR");
            }
            JsonNode root = dev.llmproxy.JsonFactories.mapper().readTree(in);
            String source = "default " + root.path("as_of").asText();
            Map<String, Price> prices = new LinkedHashMap<>();
            for (JsonNode p : root.path("prices")) {
                String model = p.path("model").asText();
                prices.put(model, new Price(model, micros(p.get("input")), optionalMicros(p.get("cached_input")),
                        optionalMicros(p.get("cache_write")), micros(p.get("output")), source));
            }
            return prices;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** USD per million tokens, as written in the file, to micro-USD per million tokens. */
    static long micros(JsonNode usd) {
        return Usd.toMicros("default-prices.json", new BigDecimal(usd.asText()));
    }

    private static Long optionalMicros(JsonNode usd) {
        return usd == null || usd.isNull() ? null : micros(usd);
    }
}
