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

    @Test
    void anErrorOnTheMessagesApiIsAnthropicShapedWithTheProxysCode() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String anthropic = json.writeValueAsString(OpenAiErrors.body("/v1/messages",
                ProxyRefusal.upstreamUnavailable("anthropic", "connection refused")));
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Could not reach the"
                + " anthropic provider: connection refused\",\"code\":\"upstream_unavailable\"}}", anthropic);
        assertEquals("error", json.readTree(json.writeValueAsString(OpenAiErrors.body("/v1/messages/count_tokens",
                ProxyRefusal.tooLarge(10)))).path("type").asText());

        String openAi = json.writeValueAsString(OpenAiErrors.body("/v1/chat/completions",
                ProxyRefusal.upstreamTimeout("openai", "answer", 3000)));
        assertEquals("{\"error\":{\"message\":\"The openai provider did not answer within 3000 ms\",\"type\":"
                + "\"api_error\",\"param\":null,\"code\":\"upstream_timeout\"}}", openAi);
        assertEquals("invalid_request_error", json.readTree(json.writeValueAsString(OpenAiErrors.body(
                "/v1/messagesX", ProxyRefusal.tooLarge(10)))).path("error").path("type").asText(), "not the Messages API");
    }

    @Test
    void statusesMapToAnthropicErrorTypes() {
        assertEquals("authentication_error", OpenAiErrors.anthropicTypeFor(401));
        assertEquals("permission_error", OpenAiErrors.anthropicTypeFor(403));
        assertEquals("not_found_error", OpenAiErrors.anthropicTypeFor(404));
        assertEquals("request_too_large", OpenAiErrors.anthropicTypeFor(413));
        assertEquals("rate_limit_error", OpenAiErrors.anthropicTypeFor(429));
        assertEquals("invalid_request_error", OpenAiErrors.anthropicTypeFor(400));
        assertEquals("invalid_request_error", OpenAiErrors.anthropicTypeFor(408));
        assertEquals("api_error", OpenAiErrors.anthropicTypeFor(502));
        assertEquals("api_error", OpenAiErrors.anthropicTypeFor(504));
        assertEquals("overloaded_error", OpenAiErrors.anthropicTypeFor(529));
    }
}
