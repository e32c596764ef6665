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

    @Test
    void anAzureDeploymentPathNamesTheModelAndItsStreamsAskForUsage() {
        UpstreamBody body = UpstreamBody.of("{\"model\":\"ignored\",\"stream\":true,\"messages\":[]}"
                .getBytes(StandardCharsets.UTF_8), "application/json", Provider.AZURE_OPENAI,
                "/openai/deployments/prod-4o/chat/completions");
        assertEquals("prod-4o", body.model(), "Azure serves the deployment in the path, whatever the body says");
        assertTrue(body.injectedStreamUsage());
        assertTrue(new String(body.bytes(), StandardCharsets.UTF_8).contains("\"include_usage\":true"));
        assertEquals("gpt-4o", body.withModel("gpt-4o").model());
    }

    @Test
    void azuresV1PathsTakeTheModelFromTheBody() {
        UpstreamBody body = UpstreamBody.of("{\"model\":\"prod-4o\",\"temperature\":0,\"input\":\"hi\"}"
                .getBytes(StandardCharsets.UTF_8), "application/json", Provider.AZURE_OPENAI, "/openai/v1/responses");
        assertEquals("prod-4o", body.model());
        assertTrue(body.deterministic(), "the Responses API at temperature 0, as on /v1/responses");
    }

    private static UpstreamBody gemini(String json, String contentType, String path) {
        return UpstreamBody.of(json.getBytes(StandardCharsets.UTF_8), contentType, Provider.GEMINI, path);
    }

    @Test
    void onVertexAiEachPathsBodyIsReadAsItsApiHasIt() {
        String located = "/v1/projects/p/locations/us-east5";
        UpstreamBody claude = UpstreamBody.of(("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":64,"
                + "\"stream\":true,\"system\":\"Be brief\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}")
                .getBytes(StandardCharsets.UTF_8), "application/json", Provider.VERTEX_AI,
                located + "/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
        assertEquals("claude-sonnet-4-5@20250929", claude.model(), "the path names it; the body has none");
        assertTrue(claude.prompt().texts().containsAll(java.util.List.of("Be brief", "Say hello")),
                "Anthropic's system beside the messages: " + claude.prompt().texts());
        assertTrue(claude.stream());
        assertEquals(64, claude.maxOutputTokens());
        UpstreamBody chat = UpstreamBody.of("{\"model\":\"google/gemini-2.5-flash\",\"stream\":true,\"messages\":[]}"
                .getBytes(StandardCharsets.UTF_8), "application/json", Provider.VERTEX_AI,
                located + "/endpoints/openapi/chat/completions");
        assertEquals("google/gemini-2.5-flash", chat.model());
        assertTrue(chat.injectedStreamUsage(), "the OpenAI-compatible endpoint is asked for stream usage");
        UpstreamBody gemini = UpstreamBody.of("{\"contents\":[{\"parts\":[{\"text\":\"Hi\"}]}]}"
                .getBytes(StandardCharsets.UTF_8), "application/json", Provider.VERTEX_AI,
                located + "/publishers/google/models/gemini-2.5-flash:generateContent");
        assertEquals("gemini-2.5-flash", gemini.model());
        assertEquals(java.util.List.of("Hi"), gemini.prompt().texts());
    }

    @Test
    void aGeminiPathNamesTheModelWhateverTheBodySaysAndItsPromptIsCounted() {
        UpstreamBody body = gemini("{\"model\":\"gemini-2.0-flash-lite\",\"contents\":[{\"role\":\"user\",\"parts\":"
                + "[{\"text\":\"Say hello\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBOR\"}}]}],"
                + "\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief\"}]},\"generationConfig\":{"
                + "\"maxOutputTokens\":64}}", "application/json", "/v1beta/models/gemini-2.5-pro:generateContent");
        assertEquals("gemini-2.5-pro", body.model(), "the path's model is what Google serves");
        assertEquals(java.util.List.of("Say hello", "Be brief"), body.prompt().texts());
        assertTrue(body.prompt().fixedTokens() > 0, "the image counts");
        assertEquals(64, body.maxOutputTokens());
        assertFalse(body.injectedStreamUsage(), "a native stream reports usage in every chunk: nothing to ask");
        assertEquals("gemini-2.5-pro", gemini("", null, "/v1beta/models/gemini-2.5-pro:generateContent").model(),
                "an empty body still names its model");
        UpstreamBody notJson = gemini("contents=1", "text/plain", "/v1beta/models/gemini-2.5-pro:generateContent");
        assertFalse(notJson.readable());
        assertEquals("gemini-2.5-pro", notJson.model());
    }

    @Test
    void aNegativeOutputCapIsNone() {
        assertNull(gemini("{\"generationConfig\":{\"maxOutputTokens\":-1000000}}", "application/json",
                "/v1beta/models/g:generateContent").maxOutputTokens());
        assertNull(read("{\"model\":\"gpt-4o\",\"max_tokens\":-5}").maxOutputTokens());
    }

    @Test
    void googlesOpenAiCompatibleStreamsAskForUsageAsOpenAisDo() {
        UpstreamBody body = gemini("{\"model\":\"gemini-2.5-flash\",\"stream\":true,\"messages\":[]}",
                "application/json", "/v1beta/openai/chat/completions");
        assertEquals("gemini-2.5-flash", body.model());
        assertTrue(body.injectedStreamUsage());
    }
}
