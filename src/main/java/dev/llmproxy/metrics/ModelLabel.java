package dev.llmproxy.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model names as a metric label, bounded: callers choose the model string, so the first {@code limit} distinct
 * names are kept and any later one is counted as {@code other}, which keeps the number of time series finite.
 */
final class ModelLabel {
    static final String OTHER = "other";
    static final String NONE = "none";
    private final int limit;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    ModelLabel(int limit) {
        this.limit = limit;
    }

    String of(String model) {
        if (model == null || model.isEmpty()) {
            return NONE;
        }
        if (seen.contains(model)) {
            return model;
        }
        if (seen.size() < limit && model.length() <= 100) {
            seen.add(model);
            return model;
        }
        return OTHER;
    }
}
