package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Text made safe for a column (docs/fuzzing.md): never longer than the column, no control characters, valid UTF-16
 * (so valid UTF-8 for the database), unchanged when already clean and short, idempotent, and a longer column only
 * ever adds to the end.
 */
class ColumnTextFuzzTest {
    @FuzzTest
    void fitsTheColumnAndIsValidText(FuzzedDataProvider data) {
        int length = data.consumeInt(0, 400);
        int longer = length + data.consumeInt(0, 64);
        String text = data.consumeRemainingAsString();
        assertNull(ColumnText.clamp(null, length));

        String clamped = ColumnText.clamp(text, length);

        assertTrue(clamped.length() <= length, clamped.length() + " > " + length);
        for (int i = 0; i < clamped.length(); i++) {
            char c = clamped.charAt(i);
            assertTrue(c >= 0x20 && c != 0x7F, "control character at " + i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < clamped.length() && Character.isLowSurrogate(clamped.charAt(i + 1)), "lone high");
                i++;
            } else {
                assertTrue(!Character.isLowSurrogate(c), "lone low surrogate at " + i);
            }
        }
        assertEquals(clamped, new String(clamped.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertEquals(clamped, ColumnText.clamp(clamped, length), "idempotent");
        if (clean(text) && text.length() <= length) {
            assertSame(text, clamped, "clean text is kept as it is");
        }
        String wider = ColumnText.clamp(text, longer);
        assertTrue(wider.startsWith(clamped), "a longer column only adds to the end");
        // nothing is lost but what does not fit: a cut leaves at most one character's room (a surrogate pair)
        if (wider.length() > clamped.length()) {
            assertTrue(clamped.length() >= length - 1, "cut short: " + clamped.length() + " of " + length);
        }
    }

    private static boolean clean(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c != 0x7F && !Character.isSurrogate((char) c));
    }
}
