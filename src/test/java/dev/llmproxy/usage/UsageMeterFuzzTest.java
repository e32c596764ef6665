package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The stream side of usage metering (docs/fuzzing.md): an event passes unchanged unless the proxy asked for usage on
 * the caller's behalf, and then the only changes are dropping the usage-only chunk and removing the top-level
 * {@code "usage":null} member, so the caller still gets valid JSON with everything else as the provider sent it.
 */
class UsageMeterFuzzTest {
    private static final TokenEstimator ESTIMATOR = new TokenEstimator();
    /** How the meter reads an event: one JSON value, nothing after it. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper NO_DUPLICATES = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String[] EVENTS = {null, "message_start", "message_delta", "content_block_delta"};

    @FuzzTest
    void changesOnlyWhatTheProxyAddedToTheStream(FuzzedDataProvider data) {
        UsageDialect dialect = data.pickValue(UsageDialect.values());
        boolean injected = data.consumeBoolean();
        UsageMeter meter = new UsageMeter(dialect, "gpt-4o", injected, new Prompt(List.of("hi"), 0), ESTIMATOR);
        int events = data.consumeInt(1, 8);
        for (int i = 0; i < events && data.remainingBytes() > 0; i++) {
            String event = data.pickValue(EVENTS);
            String sent = i == events - 1 ? data.consumeRemainingAsString() : data.consumeString(512);
            String passed = meter.sseEvent(event, sent);
            if (!injected || dialect != UsageDialect.OPENAI) { // only OpenAI streams are rewritten
                assertSame(sent, passed, "nothing is changed when the caller sees what the provider sent");
                continue;
            }
            if (passed == sent) {
                continue;
            }
            JsonNode tree = strict(sent);
            if (tree == null || !tree.isObject()) {
                fail("changed an event that is not one JSON object: " + sent + " -> " + passed);
            }
            JsonNode usage = tree.get("usage");
            if (passed == null) {
                assertTrue(usage != null && usage.isObject() && tree.path("choices").isArray()
                        && tree.path("choices").isEmpty(), "dropped an event that is not the usage-only chunk");
                continue;
            }
            assertTrue(usage != null && usage.isNull(), "changed an event without \"usage\":null");
            ObjectNode expected = ((ObjectNode) tree).deepCopy();
            expected.remove("usage");
            JsonNode got = strict(passed);
            assertNotNull(got, "the caller got invalid JSON: " + passed);
            if (read(NO_DUPLICATES, sent) != null) { // with a key twice, the member kept is Jackson's choice
                assertEquals(expected, got, "only the top-level usage member is removed");
            }
        }
        TokenUsage usage = meter.usage();
        assertNotNull(usage);
        assertNotNull(meter.model());
    }

    private static JsonNode strict(String json) {
        return read(STRICT, json);
    }

    private static JsonNode read(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
