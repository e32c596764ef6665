package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gemini's usage (https://ai.google.dev/api/generate-content#UsageMetadata) as the meter reads it from a
 * generateContent body, a streamGenerateContent SSE stream (each event a GenerateContentResponse with the usage so far)
 * and the same stream as one JSON array (without {@code alt=sse}). Thoughts are output (reasoning), cached content is a
 * part of the prompt.
 */
class GeminiUsageTest {
    /** A thinking model's answer, as Google's reference shows one (the thoughts are not in candidatesTokenCount). */
    static final String BODY = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello from Gemini\"}],"
            + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":11,"
            + "\"candidatesTokenCount\":4,\"totalTokenCount\":35,\"cachedContentTokenCount\":3,\"promptTokensDetails\":"
            + "[{\"modality\":\"TEXT\",\"tokenCount\":11}],\"cacheTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":3}],"
            + "\"thoughtsTokenCount\":20},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"mock-response-1\"}";
    private final TokenEstimator estimator = new TokenEstimator();

    private UsageMeter meter() {
        return new UsageMeter(UsageDialect.GEMINI, "gemini-2.5-flash-latest", false,
                new Prompt(List.of("Say hello"), 0), estimator);
    }

    static String chunk(String text, String usage, String finish) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}"
                + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + ",\"index\":0}],\"usageMetadata\":"
                + usage + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}";
    }

    @Test
    void aBodysUsageMetadataCountsThoughtsAsReasoningOutputAndCachedContentAsCachedInput() {
        UsageMeter meter = meter();
        meter.jsonChunk(BODY.getBytes(StandardCharsets.UTF_8));
        assertEquals(new TokenUsage(11, 24, 3, 0, 20, false), meter.usage());
        assertEquals("gemini-2.5-flash", meter.model(), "the modelVersion that answered");
    }

    @Test
    void inAStreamTheLastUsageMetadataIsTheCalls() {
        UsageMeter meter = meter();
        String first = chunk("Hello", "{\"promptTokenCount\":11,\"candidatesTokenCount\":1,\"totalTokenCount\":12,"
                + "\"thoughtsTokenCount\":20}", null);
        assertEquals(first, meter.sseEvent("", first), "passed on unchanged");
        meter.sseEvent("", chunk(" from", "{\"promptTokenCount\":11,\"candidatesTokenCount\":2,\"totalTokenCount\":13}",
                null));
        meter.sseEvent("", chunk(" Gemini", "{\"promptTokenCount\":11,\"candidatesTokenCount\":3,\"totalTokenCount\":14,"
                + "\"cachedContentTokenCount\":2}", "STOP"));
        assertEquals(new TokenUsage(11, 3, 2, 0, 0, false), meter.usage(),
                "the last chunk's numbers alone: the thoughts of the first are not carried over");
        assertEquals("gemini-2.5-flash", meter.model());
    }

    @Test
    void aStreamAsOneJsonArrayIsReadResponseByResponse() {
        UsageMeter meter = meter();
        String array = "[" + chunk("Hello", "{\"promptTokenCount\":11,\"candidatesTokenCount\":1,"
                + "\"thoughtsTokenCount\":7}", null) + ",\r\n" + chunk(" there", "{\"promptTokenCount\":11,"
                + "\"candidatesTokenCount\":2,\"toolUsePromptTokenCount\":5}", "STOP") + "]";
        byte[] bytes = array.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) { // as it arrives, in pieces
            meter.jsonChunk(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7)));
        }
        assertEquals(new TokenUsage(16, 2, 0, 0, 0, false), meter.usage(), "the tool-use prompt is input");
        assertEquals("gemini-2.5-flash", meter.model());
    }

    @Test
    void withoutUsageMetadataTheAnswersTextIsEstimated() {
        UsageMeter meter = meter();
        meter.sseEvent("", "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello from Gemini\"}]}}]}");
        TokenUsage usage = meter.usage();
        assertTrue(usage.estimated());
        assertTrue(usage.completionTokens() > 0, "the candidates' text was counted: " + usage);
        UsageMeter body = meter();
        body.jsonChunk("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello from Gemini\"}]}}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(body.usage().completionTokens() > 0);
        assertEquals("gemini-2.5-flash-latest", body.model(), "the path's model when the answer names none");
    }

    @Test
    void hostileNumbersAreBoundedAndPartsCannotExceedTheirWhole() {
        UsageMeter meter = meter();
        meter.jsonChunk(("{\"usageMetadata\":{\"promptTokenCount\":5,\"cachedContentTokenCount\":900,"
                + "\"candidatesTokenCount\":-40,\"thoughtsTokenCount\":99999999999999999999999}}")
                .getBytes(StandardCharsets.UTF_8));
        TokenUsage usage = meter.usage();
        assertEquals(5, usage.promptTokens());
        assertEquals(5, usage.cachedTokens(), "cached is a part of the prompt");
        assertEquals(ProviderUsage.MAX_TOKENS, usage.completionTokens(), "a number past a long is the most there is");
        UsageMeter stream = meter();
        stream.sseEvent("", "{\"usageMetadata\":{\"promptTokenCount\":99999999999999999999999,"
                + "\"thoughtsTokenCount\":" + Long.MAX_VALUE + ",\"candidatesTokenCount\":" + Long.MAX_VALUE + "}}");
        assertEquals(ProviderUsage.MAX_TOKENS, stream.usage().completionTokens(), "no overflow in the sum");
        assertEquals(ProviderUsage.MAX_TOKENS, stream.usage().promptTokens());
    }

    @Test
    void aUsageMetadataDeeperDownIsNotTheCalls() {
        UsageMeter meter = meter();
        meter.jsonChunk(("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":"
                + "{\"usageMetadata\":{\"promptTokenCount\":999}}}}]}}],\"usageMetadata\":{\"promptTokenCount\":4,"
                + "\"candidatesTokenCount\":1}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(new TokenUsage(4, 1, 0, 0, 0, false), meter.usage());
    }
}
