package dev.llmproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.limits.Budget;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin API's PATCH field reader (docs/fuzzing.md), on any JSON the API's own mapper accepts: every read either
 * gives back exactly the value in the body or fails with {@link InvalidFieldException} naming the field (a 400),
 * never another exception (a 500); a budget read back is the amount that was sent.
 */
class JsonFieldsFuzzTest {
    private static final ObjectMapper API = JsonMapper.create();
    private static final Set<String> ALLOWED = Set.of("name", "models", "enabled", "priority", "budget_usd",
            "budget_period", "price");

    @FuzzTest
    void readsTheValueOrNamesTheField(FuzzedDataProvider data) {
        String field = data.pickValue(ALLOWED.toArray(String[]::new));
        JsonNode body;
        try {
            body = API.readTree(data.consumeRemainingAsString());
        } catch (IOException e) {
            return; // a 400 from the mapper, before JsonFields
        }
        JsonFields fields;
        try {
            fields = new JsonFields(body, ALLOWED);
        } catch (InvalidFieldException e) {
            assertTrue(body == null || !body.isObject() || !ALLOWED.contains(e.field()), e.getMessage());
            return;
        }
        JsonNode node = body.get(field);

        read(field, () -> fields.string(field)).ifPresent(v -> assertEquals(node.textValue(), v));
        read(field, () -> fields.nullable(field)).ifPresent(v -> assertEquals(node.isNull() ? null : node.textValue(),
                v.orElse(null)));
        read(field, () -> fields.stringList(field)).ifPresent(v -> assertEquals(node.isNull() ? 0 : node.size(),
                v.size()));
        read(field, () -> fields.bool(field)).ifPresent(v -> assertEquals(node.booleanValue(), v));
        read(field, () -> fields.decimal(field)).ifPresent(v -> assertEquals(0, node.decimalValue().compareTo(v)));
        read(field, () -> fields.nullableLong(field)).ifPresent(v -> assertEquals(node.isNull() ? null
                : node.longValue(), v.orElse(null)));
        Optional<Optional<Budget>> budget = read(Set.of("budget_usd", "budget_period"), fields::budget);
        budget.flatMap(b -> b).ifPresent(b -> {
            assertTrue(b.limitMicros() >= 0, "a negative budget");
            assertEquals(0, body.get("budget_usd").decimalValue().compareTo(b.usd()), "the budget read back");
            assertNotNull(b.period());
        });
    }

    private static <T> Optional<T> read(String field, Supplier<Optional<T>> read) {
        return read(Set.of(field), read);
    }

    /** The value read, or empty when it was refused naming one of {@code fields}. */
    private static <T> Optional<T> read(Set<String> fields, Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (InvalidFieldException e) {
            assertTrue(fields.contains(e.field()), "refused naming " + e.field() + ", not " + fields);
            return Optional.empty();
        }
    }
}
