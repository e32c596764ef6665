package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {
    @Test
    void statusesMapToOpenAiErrorTypes() {
        assertEquals("authentication_error", OpenAiErrors.typeFor(401));
        assertEquals("permission_error", OpenAiErrors.typeFor(403));
        assertEquals("rate_limit_error", OpenAiErrors.typeFor(429));
        assertEquals("invalid_request_error", OpenAiErrors.typeFor(413));
        assertEquals("api_error", OpenAiErrors.typeFor(502));
        assertEquals("api_error", OpenAiErrors.typeFor(504));
    }
}
