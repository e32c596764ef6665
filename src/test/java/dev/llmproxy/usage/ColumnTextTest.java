package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ColumnTextTest {
    @Test
    void controlCharactersAndLoneSurrogatesAreReplacedAndTheLengthKept() {
        assertEquals("gpt?4o", ColumnText.clamp("gpt\u00004o", 200), "NUL, which PostgreSQL refuses in text");
        assertEquals("a?b?c", ColumnText.clamp("a\nb\u007Fc", 200));
        assertEquals("x\uFFFDy", ColumnText.clamp("x\uD800y", 200), "a lone surrogate is not UTF-8");
        assertEquals("ABCDEFGHIJ", ColumnText.clamp("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10));
        assertEquals("ab", ColumnText.clamp("ab\uD83D\uDE00", 3), "a surrogate pair is not split");
        assertNull(ColumnText.clamp(null, 10));
        String clean = "gpt-4o-mini";
        assertSame(clean, ColumnText.clamp(clean, 200), "clean text is not copied");
    }

    @Test
    void aRecordClampsWhatCallersSent() {
        RequestRecord r = new RequestRecord("id", Instant.EPOCH, null, null, null, "m".repeat(300) + "\u0000",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "/v1/" + "x".repeat(400), "a".repeat(70), 401, "token_missing", false,
                null, 1, TokenUsage.NONE, 0L, false, null, 0, false);
        assertEquals(200, r.model().length());
        assertEquals("ABCDEFGHIJ", r.method());
        assertEquals(300, r.path().length());
        assertEquals(64, r.api().length());
    }
}
