package dev.llmproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.InvalidFieldException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    private static JsonFields fields(String json) throws Exception {
        return new JsonFields(JsonMapper.create().readTree(json), Set.of("budget_usd", "budget_period", "price"));
    }

    @Test
    void aBudgetIsReadInMicros() throws Exception {
        assertEquals(2_500_000, fields("{\"budget_usd\":2.5}").budget().orElseThrow().orElseThrow().limitMicros());
    }

    /** Found by JsonFieldsFuzzTest: both were a 500 (ArithmeticException, NumberFormatException) instead of a 400. */
    @Test
    void aNumberNoBudgetCanHoldIsRefusedNamingTheField() throws Exception {
        for (String usd : new String[] {"1e30", "1e400", "-1e400"}) {
            JsonFields fields = fields("{\"budget_usd\":" + usd + "}");
            var e = assertThrows(InvalidFieldException.class, fields::budget, usd);
            assertEquals("budget_usd", e.field());
        }
        var e = assertThrows(InvalidFieldException.class, () -> fields("{\"price\":1e400}").decimal("price"));
        assertEquals("price", e.field());
    }
}
