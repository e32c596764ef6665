package dev.llmproxy.metrics;

import dev.llmproxy.usage.Price;
import dev.llmproxy.usage.PriceTable;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Model names as a metric label, from names the proxy knows, never from what a caller typed (#13): a model in the
 * price table is labelled with its price entry ({@code gpt-4o-mini-2024-07-18} as {@code gpt-4o-mini}, so dated
 * variants share a series), a model the call's project names exactly (in its allowlist or an upstream's patterns)
 * with its name; anything else is {@code other}. At most {@code limit} distinct labels are kept whatever the
 * configuration, so the number of time series stays finite.
 */
final class ModelLabel {
    static final String OTHER = "other";
    static final String NONE = "none";
    private final int limit;
    private final Supplier<PriceTable> prices;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    ModelLabel(int limit, Supplier<PriceTable> prices) {
        this.limit = limit;
        this.prices = prices;
    }

    String of(String model, Predicate<String> namedByProject) {
        if (model == null || model.isEmpty()) {
            return NONE;
        }
        Optional<Price> priced = prices.get().find(model);
        String label = priced.map(Price::model).orElse(namedByProject.test(model) ? model : OTHER);
        if (label.equals(OTHER) || seen.contains(label)) {
            return label;
        }
        if (seen.size() < limit && label.length() <= 100) {
            seen.add(label);
            return label;
        }
        return OTHER;
    }
}
