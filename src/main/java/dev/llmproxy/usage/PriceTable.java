package dev.llmproxy.usage;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds the price of a model name deterministically: an exact entry first, else the longest entry that is a prefix
 * of the name (so {@code gpt-4o-mini-2024-07-18} gets {@code gpt-4o-mini}, not {@code gpt-4o}). A Bedrock inference
 * profile id ({@code us.anthropic.claude-…}, {@code eu.amazon.nova-…}, {@code global.…}) with no entry of its own
 * takes its model's ({@code anthropic.claude-…}): AWS bills cross-region inference at the source region's on-demand
 * price (https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference.html). No match: no price.
 */
public final class PriceTable {
    /** A Bedrock inference profile: a geography (or {@code global}) before a model id. */
    private static final java.util.regex.Pattern INFERENCE_PROFILE = java.util.regex.Pattern.compile(
            "^(?:us|eu|apac|jp|au|ca|us-gov|global)\\.([a-z0-9-]+\\..+)$");
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
        Optional<Price> prefix = byPrefix(model);
        if (prefix.isPresent()) {
            return prefix;
        }
        var profile = INFERENCE_PROFILE.matcher(model);
        if (!profile.matches()) {
            return Optional.empty();
        }
        Price base = byModel.get(profile.group(1));
        return base != null ? Optional.of(base) : byPrefix(profile.group(1));
    }

    private Optional<Price> byPrefix(String model) {
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
