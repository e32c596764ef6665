package dev.llmproxy.usage;

import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.AuditEntry;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.persistence.Jpa;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective price table: the shipped defaults overlaid by admin overrides from the database. Reloaded after a
 * change on this instance and by {@link #reload()} on a schedule, so other instances' changes arrive too.
 */
public final class Prices {
    private final Jpa jpa;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Price> defaults;
    private volatile PriceTable table;

    public Prices(Jpa jpa, AuditLog audit, Clock clock) {
        this.jpa = jpa;
        this.audit = audit;
        this.clock = clock;
        this.defaults = DefaultPrices.load();
        reload();
    }

    public PriceTable table() {
        return table;
    }

    public void reload() {
        Map<String, Price> merged = new LinkedHashMap<>(defaults);
        List<ModelPrice> overrides = jpa.inTransaction(em ->
                em.createQuery("select p from ModelPrice p", ModelPrice.class).getResultList());
        overrides.forEach(o -> merged.put(o.model(), o.toPrice()));
        table = new PriceTable(merged);
    }

    /** Creates or replaces the admin price of {@code model}; prices in micro-USD per million tokens. */
    public Price put(Actor actor, String model, long input, Long cachedInput, Long cacheWrite, long output) {
        Price price = audit.audited(actor, em -> {
            ModelPrice p = Optional.ofNullable(em.find(ModelPrice.class, model))
                    .orElseGet(() -> {
                        ModelPrice created = new ModelPrice(model, clock.instant());
                        em.persist(created);
                        return created;
                    });
            p.change(input, cachedInput, cacheWrite, output, clock.instant());
            return p.toPrice();
        }, p -> AuditEntry.success(AuditAction.PRICE_UPDATED, "price", model, AuditEntry.details(
                "input_micros_per_mtok", p.inputMicrosPerMTok(), "cached_input_micros_per_mtok",
                p.cachedInputMicrosPerMTok(), "cache_write_micros_per_mtok", p.cacheWriteMicrosPerMTok(),
                "output_micros_per_mtok", p.outputMicrosPerMTok())));
        reload();
        return price;
    }

    /** Removes the admin price of {@code model}; the shipped default, if any, applies again. */
    public boolean remove(Actor actor, String model) {
        boolean removed = audit.audited(actor, em -> Optional.ofNullable(em.find(ModelPrice.class, model))
                .map(p -> {
                    em.remove(p);
                    return true;
                }).orElseThrow(() -> new PriceNotFoundException(model)),
                r -> AuditEntry.success(AuditAction.PRICE_DELETED, "price", model, Map.of()));
        reload();
        return removed;
    }
}
