package dev.llmproxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.InvalidFieldException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a PATCH body, where an absent field means "leave as is" and {@code null} means "clear": a distinction
 * records cannot carry. Unknown fields and wrong types are refused naming the field.
 */
final class JsonFields {
    private final ObjectNode body;

    JsonFields(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw new InvalidFieldException("body", "must be a JSON object");
        }
        this.body = (ObjectNode) body;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new InvalidFieldException(name, "is not a field that can be changed here; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** Present and non-null string; null is refused. */
    Optional<String> string(String field) {
        return nullable(field).map(v -> v.orElseThrow(() -> new InvalidFieldException(field, "must not be null")));
    }

    /** Absent: empty; present: the value, which may be empty (null, to clear). */
    Optional<Optional<String>> nullable(String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        if (node.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!node.isTextual()) {
            throw new InvalidFieldException(field, "must be a string");
        }
        return Optional.of(Optional.of(node.textValue()));
    }

    /** Absent: empty; null: an empty list (clears); else an array of strings. */
    Optional<java.util.List<String>> stringList(String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        if (node.isNull()) {
            return Optional.of(java.util.List.of());
        }
        if (!node.isArray()) {
            throw new InvalidFieldException(field, "must be an array of strings");
        }
        java.util.List<String> values = new java.util.ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidFieldException(field, "must be an array of strings");
            }
            values.add(item.asText());
        }
        return Optional.of(values);
    }

    /** Absent: empty; null: an empty map (clears); else an object whose values are strings. */
    Optional<java.util.Map<String, String>> stringMap(String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        if (node.isNull()) {
            return Optional.of(java.util.Map.of());
        }
        if (!node.isObject()) {
            throw new InvalidFieldException(field, "must be an object of strings");
        }
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new InvalidFieldException(field, "must be an object of strings");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return Optional.of(values);
    }

    /** {@code budget_usd} (null clears) with {@code budget_period} (default total). */
    Optional<Optional<dev.llmproxy.limits.Budget>> budget() {
        if (!body.has("budget_usd")) {
            if (body.has("budget_period")) {
                throw new InvalidFieldException("budget_usd", "is required with budget_period");
            }
            return Optional.empty();
        }
        if (body.get("budget_usd").isNull()) {
            return Optional.of(Optional.empty());
        }
        var usd = decimal("budget_usd").orElseThrow();
        String period = string("budget_period").orElse(null);
        return Optional.of(Optional.of(dev.llmproxy.limits.Budget.fromUsd(usd, period)));
    }

    Optional<Boolean> bool(String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        if (!node.isBoolean()) {
            throw new InvalidFieldException(field, "must be true or false");
        }
        return Optional.of(node.booleanValue());
    }

    /** Absent: unchanged; null: back to the default; else true or false. */
    Optional<Optional<Boolean>> nullableBool(String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        if (body.get(field).isNull()) {
            return Optional.of(Optional.empty());
        }
        return bool(field).map(Optional::of);
    }

    Optional<java.math.BigDecimal> decimal(String field) {
        if (!body.has(field) || body.get(field).isNull()) {
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        // 1e400 reads as an infinite double, which has no decimal value (found by fuzzing: a 500)
        if (!node.isNumber() || node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw new InvalidFieldException(field, "must be a number");
        }
        return Optional.of(node.decimalValue());
    }

    Optional<Optional<Long>> nullableLong(String field) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        JsonNode node = body.get(field);
        if (node.isNull()) {
            return Optional.of(Optional.empty());
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidFieldException(field, "must be a whole number");
        }
        return Optional.of(Optional.of(node.longValue()));
    }
}
