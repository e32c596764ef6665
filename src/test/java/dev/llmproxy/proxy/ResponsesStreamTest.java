package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.usage.Prompt;
import dev.llmproxy.usage.TokenEstimator;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageDialect;
import dev.llmproxy.usage.UsageMeter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Responses API stream through the framer and the meter, cut into chunks in every way. */
class ResponsesStreamTest {
    private static final String STREAM = "event: response.created\n"
            + "data: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\","
            + "\"status\":\"in_progress\",\"model\":\"gpt-5\",\"output\":[],\"usage\":null}}\n\n"
            + "event: response.output_text.delta\n"
            + "data: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"delta\":\"Hi\"}\n\n"
            + "event: response.completed\r\n"
            + "data: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":{\"id\":\"resp_1\","
            + "\"status\":\"completed\",\"model\":\"gpt-5\",\"output\":[],\"usage\":{\"input_tokens\":13,"
            + "\"input_tokens_details\":{\"cached_tokens\":4},\"output_tokens\":7,"
            + "\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":20}}}\r\n\r\n";

    private static UsageMeter meter() {
        return new UsageMeter(UsageDialect.OPENAI, "gpt-5", false, new Prompt(List.of("Say hello"), 0),
                new TokenEstimator());
    }

    @Test
    void usageIsReadHoweverTheStreamIsCutAndTheStreamPassesUnchanged() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= bytes.length; size += size < 16 ? 1 : 37) {
            UsageMeter meter = meter();
            SseFramer framer = new SseFramer(meter::sseEvent, meter::streamUnparsed);
            ByteArrayOutputStream passed = new ByteArrayOutputStream();
            for (int i = 0; i < bytes.length; i += size) {
                passed.writeBytes(framer.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))));
            }
            passed.writeBytes(framer.finish());
            assertArrayEquals(bytes, passed.toByteArray(), "chunks of " + size);
            assertEquals(new TokenUsage(13, 7, 4, 0, 2, false), meter.usage(), "chunks of " + size);
        }
    }

    @Test
    void aLastEventTooLargeToHoldIsPassedOnAndTheUsageFlaggedEstimated() {
        String huge = "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"output\":[{"
                + "\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\""
                + "x".repeat(SseFramer.MAX_EVENT) + "\"}]}],\"usage\":{\"input_tokens\":13,\"output_tokens\":7}}}\n\n";
        UsageMeter meter = meter();
        SseFramer framer = new SseFramer(meter::sseEvent, meter::streamUnparsed);
        byte[] first = STREAM.substring(0, STREAM.indexOf("event: response.completed")).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream passed = new ByteArrayOutputStream();
        passed.writeBytes(framer.feed(first));
        byte[] rest = huge.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < rest.length; i += 64 * 1024) {
            passed.writeBytes(framer.feed(Arrays.copyOfRange(rest, i, Math.min(rest.length, i + 64 * 1024))));
        }
        passed.writeBytes(framer.finish());
        assertEquals(first.length + rest.length, passed.size(), "relayed whole");
        TokenUsage usage = meter.usage();
        assertTrue(usage.estimated(), "what was not read may have held the usage: " + usage);
    }
}
