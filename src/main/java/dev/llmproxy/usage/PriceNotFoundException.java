package dev.llmproxy.usage;

import dev.llmproxy.DomainException;

/** There is no admin price to remove for that model; shipped defaults can be overridden, not removed. */
public final class PriceNotFoundException extends DomainException {
    public PriceNotFoundException(String model) {
        super(Kind.NOT_FOUND, "price_not_found", "No admin price for '" + model
                + "' (shipped defaults cannot be removed, only overridden)");
    }
}
