package dev.llmproxy.usage;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds the price of a model name deterministically: an exact entry first, else the longest entry that is a prefix
 * of the name (so {@code gpt-4o-mini-2024-07-18} gets {@code gpt-4o-mini}, not {@code gpt-4o}). No match: no price.
 */
public final class PriceTable {
    private final TreeMap<String, Price> byModel;

    public PriceTable(Map<String, Price> prices) {
        this.byModel = new TreeMap<>(prices);
    }

    public Optional<Price> find(String model) {
        if (model == null || model.isEmpty()) {
            return Optional.empty();
        }
        Price exact = byModel.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int end = model.length() - 1; end > 0; end--) {
            Price prefix = byModel.get(model.substring(0, end));
            if (prefix != null) {
                return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }

    public Map<String, Price> all() {
        return Map.copyOf(byModel);
    }
}
