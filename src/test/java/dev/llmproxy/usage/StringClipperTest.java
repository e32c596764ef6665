package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StringClipperTest {
    private static String clipped(int limit, int chunkSize, String json) {
        StringClipper clipper = new StringClipper(limit);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int from = 0; from < bytes.length; from += chunkSize) {
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkSize));
            out.writeBytes(clipper.clip(chunk));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stringsAreCutAtTheLimitAndTheRestOfTheJsonPasses() {
        String json = "{\"content\":\"abcdefghijklmnopqrstuvwxyz\",\"usage\":{\"total_tokens\":7}}";
        for (int chunk : new int[] {1, 3, 7, json.length()}) {
            assertEquals("{\"content\":\"abcdefghijkl\",\"usage\":{\"total_tokens\":7}}", clipped(12, chunk, json),
                    "chunks of " + chunk);
        }
    }

    @Test
    void aCutNeverSplitsAnEscapeOrAUtf8Character() {
        assertEquals("[\"ab\\u00e9\"]", clipped(3, 1, "[\"ab\\u00e9cdef\"]"), "the \\u escape is kept whole");
        assertEquals("[\"a\\\"\"]", clipped(2, 2, "[\"a\\\"bcd\"]"), "an escaped quote does not end the string");
        assertEquals("[\"aé\"]", clipped(2, 1, "[\"aéèà\"]"), "é is two bytes: kept whole, then cut");
    }

    @Test
    void nothingIsCopiedWhenNothingIsCut() {
        StringClipper clipper = new StringClipper(100);
        byte[] chunk = "{\"a\":\"short\"}".getBytes(StandardCharsets.UTF_8);
        assertSame(chunk, clipper.clip(chunk));
    }

    @Test
    void theScannerReadsTheUsageAfterAStringFarOverJacksonsLimit() {
        JsonUsageScanner scanner = new JsonUsageScanner();
        scanner.feed("{\"model\":\"m\",\"choices\":[{\"message\":{\"content\":\"".getBytes(StandardCharsets.UTF_8));
        byte[] piece = "x".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 400; i++) { // 25 MiB: over Jackson's 20 MB string constraint
            scanner.feed(piece);
        }
        scanner.feed("\"}}],\"usage\":{\"completion_tokens\":9}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(9L, scanner.usageNumbers().get("usage.completion_tokens"));
        assertEquals("m", scanner.model());
        assertEquals(1 << 20, scanner.answerText().length(), "the text kept for an estimate is bounded");
    }
}
