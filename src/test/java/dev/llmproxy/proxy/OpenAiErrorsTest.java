package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
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
    void anErrorOnGeminisNativePathsIsGoogleShapedWithTheProxysCodeAsItsReason() throws Exception {
        var json = new ObjectMapper();
        JsonNode google = json.readTree(json.writeValueAsString(OpenAiErrors.body(
                "/v1beta/models/gemini-2.5-flash:generateContent", ProxyRefusal.upstreamTimeout("gemini", "answer", 3000))));
        assertEquals("{\"error\":{\"code\":504,\"message\":\"The gemini provider did not answer within 3000 ms\","
                + "\"status\":\"DEADLINE_EXCEEDED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                + "\"reason\":\"upstream_timeout\",\"domain\":\"llm-proxy\"}]}}", google.toString());
        assertEquals("INVALID_ARGUMENT", json.readTree(json.writeValueAsString(OpenAiErrors.body(
                "/v1/models/g:countTokens", ProxyRefusal.tooLarge(10)))).path("error").path("status").asText());
        assertEquals("invalid_request_error", json.readTree(json.writeValueAsString(OpenAiErrors.body(
                "/v1beta/openai/chat/completions", ProxyRefusal.tooLarge(10)))).path("error").path("type").asText(),
                "Google's OpenAI-compatible paths answer OpenAI's shape");
        String event = new String(new OpenAiErrors().streamEvent(ProxyRefusal.upstreamTimeout("gemini", "answer", 1),
                "/v1beta/models/g:streamGenerateContent"), StandardCharsets.UTF_8);
        assertTrue(event.startsWith("data: {\"error\":{\"code\":504,"), "what @google/genai raises mid-stream: " + event);
    }

    @Test
    void anErrorOnVertexAisPathsTakesTheShapeOfTheApiThere() throws Exception {
        var json = new ObjectMapper();
        String located = "/v1/projects/p/locations/us-central1";
        for (String google : new String[] {located + "/publishers/google/models/g:generateContent",
                "/v1beta1/publishers/google/models/g:streamGenerateContent", "/v1/projects/a%20b/locations"}) {
            assertEquals("INVALID_ARGUMENT", json.readTree(json.writeValueAsString(OpenAiErrors.body(google,
                    ProxyRefusal.tooLarge(10)))).path("error").path("status").asText(), google);
        }
        JsonNode anthropic = json.readTree(json.writeValueAsString(OpenAiErrors.body(
                located + "/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict", ProxyRefusal.tooLarge(10))));
        assertEquals("error", anthropic.path("type").asText(), "what @anthropic-ai/vertex-sdk reads: " + anthropic);
        assertEquals("invalid_request_error", json.readTree(json.writeValueAsString(OpenAiErrors.body(
                located + "/endpoints/openapi/chat/completions", ProxyRefusal.tooLarge(10)))).path("error").path("type")
                .asText(), "the OpenAI-compatible endpoint answers OpenAI's shape");
        String event = new String(new OpenAiErrors().streamEvent(ProxyRefusal.upstreamTimeout("vertex-ai", "answer", 1),
                located + "/publishers/anthropic/models/c:streamRawPredict"), StandardCharsets.UTF_8);
        assertTrue(event.startsWith("event: error\n"), "Anthropic's stream error: " + event);
    }

    @Test
    void statusesMapToGoogleRpcCodes() {
        assertEquals("UNAUTHENTICATED", OpenAiErrors.googleStatusFor(401));
        assertEquals("PERMISSION_DENIED", OpenAiErrors.googleStatusFor(403));
        assertEquals("NOT_FOUND", OpenAiErrors.googleStatusFor(404));
        assertEquals("RESOURCE_EXHAUSTED", OpenAiErrors.googleStatusFor(429));
        assertEquals("RESOURCE_EXHAUSTED", OpenAiErrors.googleStatusFor(402));
        assertEquals("INVALID_ARGUMENT", OpenAiErrors.googleStatusFor(400));
        assertEquals("INVALID_ARGUMENT", OpenAiErrors.googleStatusFor(413));
        assertEquals("UNAVAILABLE", OpenAiErrors.googleStatusFor(503));
        assertEquals("INTERNAL", OpenAiErrors.googleStatusFor(502));
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

    @Test
    void aStreamsLastEventIsTheErrorInTheShapeOfItsApi() throws Exception {
        ObjectMapper json = new ObjectMapper();
        OpenAiErrors errors = new OpenAiErrors();
        String openAi = new String(errors.streamEvent(ProxyRefusal.shuttingDown(), "/v1/chat/completions"),
                StandardCharsets.UTF_8);
        assertEquals(true, openAi.startsWith("data: {") && openAi.endsWith("}\n\n"), openAi);
        JsonNode error = json.readTree(openAi.substring(6)).path("error");
        assertEquals("proxy_shutting_down", error.path("code").asText());
        assertEquals("api_error", error.path("type").asText());

        String anthropic = new String(errors.streamEvent(ProxyRefusal.shuttingDown(), "/v1/messages"),
                StandardCharsets.UTF_8);
        assertEquals(true, anthropic.startsWith("event: error\ndata: {") && anthropic.endsWith("}\n\n"), anthropic);
        JsonNode event = json.readTree(anthropic.substring(anthropic.indexOf("data: ") + 6));
        assertEquals("error", event.path("type").asText());
        assertEquals("overloaded_error", event.path("error").path("type").asText());
        assertEquals("proxy_shutting_down", event.path("error").path("code").asText());
    }

    @Test
    void anErrorOnBedrocksPathsIsAwsShapedWithItsTypeInTheHeader() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("{\"message\":\"The model 'm' is not allowed for this project\",\"code\":\"model_not_allowed\"}",
                json.writeValueAsString(OpenAiErrors.body("/model/m/converse", ProxyRefusal.modelNotAllowed("m"))));
        assertEquals("AccessDeniedException", OpenAiErrors.awsErrorType(403));
        assertEquals("ValidationException", OpenAiErrors.awsErrorType(400));
        assertEquals("ValidationException", OpenAiErrors.awsErrorType(413));
        assertEquals("ThrottlingException", OpenAiErrors.awsErrorType(429));
        assertEquals("ServiceUnavailableException", OpenAiErrors.awsErrorType(503));
        assertEquals("ResourceNotFoundException", OpenAiErrors.awsErrorType(404));
        assertEquals("UnrecognizedClientException", OpenAiErrors.awsErrorType(401));
        assertEquals("InternalServerException", OpenAiErrors.awsErrorType(502));
        assertEquals("ModelTimeoutException", OpenAiErrors.awsErrorType(504));
    }

    @Test
    void aBedrockStreamEndsWithAnExceptionMessageTheSdkDecodes() {
        byte[] frame = new OpenAiErrors().eventStreamException(ProxyRefusal.upstreamBrokeOff("bedrock"));
        var decoded = new java.util.ArrayList<software.amazon.awssdk.eventstream.Message>();
        new software.amazon.awssdk.eventstream.MessageDecoder(decoded::add).feed(frame);
        assertEquals("ModelStreamErrorException", decoded.get(0).getHeaders().get(":exception-type").getString());
        assertTrue(new String(decoded.get(0).getPayload(), StandardCharsets.UTF_8).contains("broke off"));
        byte[] busy = new OpenAiErrors().eventStreamException(ProxyRefusal.shuttingDown());
        decoded.clear();
        new software.amazon.awssdk.eventstream.MessageDecoder(decoded::add).feed(busy);
        assertEquals("ServiceUnavailableException", decoded.get(0).getHeaders().get(":exception-type").getString());
    }
}
