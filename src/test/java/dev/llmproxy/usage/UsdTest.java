package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.InvalidFieldException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsdTest {
    @Test
    void amountsBecomeMicros() {
        assertEquals(12_500_000, Usd.toMicros("budget_usd", new BigDecimal("12.5")));
        assertEquals(1, Usd.toMicros("budget_usd", new BigDecimal("0.000001000")));
    }

    /** Found by JsonFieldsFuzzTest: {"budget_usd": 1e30} was an ArithmeticException, so a 500 instead of a 400. */
    @Test
    void anAmountTooLargeForMicrosIsRefusedNamingTheField() {
        for (String usd : new String[] {"1e30", "9223372036854.775808", "1E+2147483647"}) {
            var e = assertThrows(InvalidFieldException.class, () -> Usd.toMicros("budget_usd", new BigDecimal(usd)));
            assertEquals("budget_usd", e.field());
        }
    }
}
