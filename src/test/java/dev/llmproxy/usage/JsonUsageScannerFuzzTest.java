package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The streaming scanner of JSON responses (docs/fuzzing.md): what it finds does not depend on how the body is cut
 * into chunks, only {@code usage.*} integers are kept, the answer text stays bounded, and for a well-formed body
 * it finds exactly what a tree reader finds (the model, the usage numbers, the answer text).
 */
class JsonUsageScannerFuzzTest {
    private static final int MAX_TEXT = 1 << 20;
    /**
     * Jackson's non-blocking parser (2.19) accepts a comma before a closing bracket when the bracket arrives in the
     * next chunk (found by this test): such a body, not JSON anyway, may be read further when cut there.
     */
    private static final Pattern TRAILING_COMMA = Pattern.compile(",[ \\t\\r\\n]*[}\\]]");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @FuzzTest
    void findsTheSameWhateverTheChunking(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 4096);
        }
        byte[] body = data.consumeRemainingAsBytes();

        JsonUsageScanner whole = new JsonUsageScanner();
        whole.feed(body);
        JsonUsageScanner chunked = new JsonUsageScanner();
        int from = 0;
        Arrays.sort(cuts);
        for (int cut : cuts) {
            int to = Math.min(Math.max(cut, from), body.length);
            chunked.feed(Arrays.copyOfRange(body, from, to)); // empty chunks included
            from = to;
        }
        chunked.feed(Arrays.copyOfRange(body, from, body.length));

        if (!TRAILING_COMMA.matcher(new String(body, StandardCharsets.ISO_8859_1)).find()) {
            assertEquals(whole.model(), chunked.model(), "model, chunked");
            assertEquals(whole.usageNumbers(), chunked.usageNumbers(), "usage numbers, chunked");
            assertEquals(whole.answerText(), chunked.answerText(), "answer text, chunked");
        }
        for (String key : whole.usageNumbers().keySet()) {
            assertTrue(key.startsWith("usage."), key);
        }
        assertTrue(whole.answerText().length() <= MAX_TEXT + body.length, "answer text bounded");

        JsonNode tree = strictObject(body);
        if (tree != null) {
            Reference expected = new Reference();
            expected.walk(tree, "", true);
            if (expected.representable) {
                JsonNode model = tree.get("model");
                assertEquals(model != null && model.isTextual() ? model.textValue() : null, whole.model(),
                        "model, tree");
                assertEquals(expected.numbers, whole.usageNumbers(), "usage numbers, tree");
                assertEquals(expected.text.toString(), whole.answerText(), "answer text, tree");
            }
        }
    }

    /**
     * The body as one JSON object, or null. Invalid UTF-8 counts as not JSON: Jackson's blocking parser lets it
     * through in field names while the non-blocking one stops there (found by this test; Jackson's, not ours).
     */
    private static JsonNode strictObject(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            JsonNode tree = STRICT.readTree(body);
            return tree != null && tree.isObject() ? tree : null;
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** What the scanner should find, from the tree: dotted paths, {@code []} for an array's items. */
    private static final class Reference {
        final Map<String, Long> numbers = new HashMap<>();
        final StringBuilder text = new StringBuilder();
        boolean representable = true;

        void walk(JsonNode node, String path, boolean root) {
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> walk(e.getValue(), root ? e.getKey() : path + "." + e.getKey(),
                        false));
            } else if (node.isArray()) {
                for (JsonNode item : node) {
                    walk(item, path + ".[]", false);
                }
            } else if (node.isIntegralNumber() && path.startsWith("usage.")) {
                if (!node.canConvertToLong()) {
                    representable = false; // the scanner stops there: a count no provider sends
                }
                numbers.put(path, node.longValue());
            } else if (node.isTextual() && isAnswerText(path) && text.length() < MAX_TEXT) {
                text.append(node.textValue());
            }
        }

        private static boolean isAnswerText(String at) {
            return at.equals("choices.[].message.content") || at.equals("choices.[].text")
                    || at.equals("content.[].text") || at.equals("output.[].content.[].text");
        }
    }
}
