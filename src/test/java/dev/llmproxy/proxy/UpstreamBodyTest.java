package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.project.Provider;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UpstreamBodyTest {
    private static UpstreamBody read(String json) {
        return UpstreamBody.of(json.getBytes(StandardCharsets.UTF_8), "application/json", Provider.OPENAI,
                "/v1/chat/completions");
    }

    @Test
    void aBodyIsReadWhole() {
        UpstreamBody body = read("{\"model\":\"gpt-4o\",\"messages\":[]}\r\n");
        assertTrue(body.readable());
        assertEquals("gpt-4o", body.model());
    }

    /** Found by UpstreamBodyFuzzTest: the model checked must be the one the provider reads, not the first of two. */
    @Test
    void contentAfterTheObjectMakesTheBodyUnreadable() {
        for (String trailing : new String[] {"\u0000", "{\"model\":\"gpt-4.5\"}", "x"}) {
            UpstreamBody body = read("{\"model\":\"gpt-4o-mini\",\"messages\":[]}" + trailing);
            assertFalse(body.readable(), trailing);
            assertNull(body.model());
            assertTrue(body.unreadable().contains("not valid JSON"), body.unreadable());
        }
    }
}
