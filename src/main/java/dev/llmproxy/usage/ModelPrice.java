package dev.llmproxy.usage;

import dev.llmproxy.InvalidFieldException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An admin's price for a model name or prefix, overriding the shipped default of the same name. */
@Entity
@Table(name = "model_prices")
public class ModelPrice {
    @Id
    private String model;
    @Column(name = "input_micros_per_mtok")
    private long inputMicrosPerMTok;
    @Column(name = "cached_input_micros_per_mtok")
    private Long cachedInputMicrosPerMTok;
    @Column(name = "cache_write_micros_per_mtok")
    private Long cacheWriteMicrosPerMTok;
    @Column(name = "output_micros_per_mtok")
    private long outputMicrosPerMTok;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected ModelPrice() {
        // for JPA
    }

    public ModelPrice(String model, Instant now) {
        if (model == null || model.isBlank() || model.length() > 200) {
            throw new InvalidFieldException("model", "must be 1 to 200 characters");
        }
        this.model = model;
        this.updatedAt = now;
    }

    public void change(long input, Long cachedInput, Long cacheWrite, long output, Instant now) {
        requireNonNegative("input_per_mtok_usd", input);
        requireNonNegative("output_per_mtok_usd", output);
        if (cachedInput != null) {
            requireNonNegative("cached_input_per_mtok_usd", cachedInput);
        }
        if (cacheWrite != null) {
            requireNonNegative("cache_write_per_mtok_usd", cacheWrite);
        }
        this.inputMicrosPerMTok = input;
        this.cachedInputMicrosPerMTok = cachedInput;
        this.cacheWriteMicrosPerMTok = cacheWrite;
        this.outputMicrosPerMTok = output;
        this.updatedAt = now;
    }

    public Price toPrice() {
        return new Price(model, inputMicrosPerMTok, cachedInputMicrosPerMTok, cacheWriteMicrosPerMTok,
                outputMicrosPerMTok, "admin " + updatedAt);
    }

    public String model() {
        return model;
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidFieldException(field, "must not be negative");
        }
    }
}
