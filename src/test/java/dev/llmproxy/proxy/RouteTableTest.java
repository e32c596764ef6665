package dev.llmproxy.proxy;

import dev.llmproxy.project.Provider;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.DomainException;
import dev.llmproxy.config.InvalidSettingException;
import dev.llmproxy.config.ProxySettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static RouteTable table(Map<String, String> overrides) {
        Map<String, String> routes = new HashMap<String, String>();
        routes.putAll(overrides);
        return RouteTable.from(new ProxySettings(1024, 1000, 1000, 1000, "2023-06-01", routes, 4096, "us-east-1"));
    }

    @Test
    void defaultRoutesAllowWhatTheSdksCall() {
        RouteTable routes = table(Map.of());
        assertDoesNotThrow(() -> routes.check(Provider.OPENAI, "POST", "/v1/chat/completions"));
        assertDoesNotThrow(() -> routes.check(Provider.OPENAI, "GET", "/v1/models/gpt-4o"));
        assertDoesNotThrow(() -> routes.check(Provider.ANTHROPIC, "POST", "/v1/messages"));
    }

    @Test
    void theResponsesApiIsRoutedForOpenAiAndOpenAiCompatibleProjects() {
        RouteTable routes = table(Map.of());
        for (Provider provider : new Provider[] {Provider.OPENAI, Provider.OPENAI_COMPATIBLE}) {
            assertEquals("responses", routes.check(provider, "POST", "/v1/responses"));
            assertEquals("responses", routes.check(provider, "GET", "/v1/responses/resp_1"));
            assertEquals("responses", routes.check(provider, "DELETE", "/v1/responses/resp_1"));
            assertEquals("responses.cancel", routes.check(provider, "POST", "/v1/responses/resp_1/cancel"));
            assertEquals("responses.input_items", routes.check(provider, "GET", "/v1/responses/resp_1/input_items"));
        }
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.ANTHROPIC, "POST", "/v1/responses"));
    }

    @Test
    void aRouteNamesTheApiByItsLiteralSegments() {
        RouteTable routes = table(Map.of("openai-compatible", "POST /v1/chat/completions, GET /v1/files/**, GET /v1/*"));
        assertEquals("chat.completions", routes.check(Provider.OPENAI_COMPATIBLE, "POST", "/v1/chat/completions"));
        assertEquals("files", routes.check(Provider.OPENAI_COMPATIBLE, "GET", "/v1/files/a/b"));
        assertEquals("v1", routes.check(Provider.OPENAI_COMPATIBLE, "GET", "/v1/anything"));
        assertEquals("messages.count_tokens", table(Map.of()).check(Provider.ANTHROPIC, "POST",
                "/v1/messages/count_tokens"));
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        RouteTable routes = table(Map.of());
        ProxyRefusal notFound = assertThrows(ProxyRefusal.class, () -> routes.check(Provider.ANTHROPIC, "POST", "/v1/chat/completions"));
        assertEquals(DomainException.Kind.NOT_FOUND, notFound.kind());
        ProxyRefusal wrongMethod = assertThrows(ProxyRefusal.class, () -> routes.check(Provider.OPENAI, "DELETE", "/v1/models"));
        assertEquals(405, wrongMethod.kind().status());
        assertEquals("GET", wrongMethod.allow());
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.OPENAI, "GET", "/v1/models/a/b"));
    }

    @Test
    void configuredRoutesReplaceTheDefaultsAndDoubleStarMatchesTheRest() {
        RouteTable routes = table(Map.of("openai-compatible", "POST /v1/chat/completions, GET /v1/files/**"));
        assertDoesNotThrow(() -> routes.check(Provider.OPENAI_COMPATIBLE, "GET", "/v1/files/a/b/c"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.OPENAI_COMPATIBLE, "POST", "/v1/embeddings"));
    }

    @Test
    void malformedRouteSettingNamesTheKey() {
        var e = assertThrows(InvalidSettingException.class, () -> table(Map.of("openai", "chat/completions")));
        assertEquals("openai-routes", e.key());
    }

    @Test
    void azureOpenAiServesTheDeploymentAndV1PathsNamedAsOpenAisApis() {
        RouteTable routes = table(Map.of());
        assertEquals("chat.completions", routes.check(Provider.AZURE_OPENAI, "POST",
                "/openai/deployments/prod-4o/chat/completions"));
        assertEquals("embeddings", routes.check(Provider.AZURE_OPENAI, "POST", "/openai/deployments/e/embeddings"));
        assertEquals("chat.completions", routes.check(Provider.AZURE_OPENAI, "POST", "/openai/v1/chat/completions"));
        assertEquals("responses.cancel", routes.check(Provider.AZURE_OPENAI, "POST", "/openai/v1/responses/r/cancel"));
        assertEquals("models", routes.check(Provider.AZURE_OPENAI, "GET", "/openai/v1/models"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.AZURE_OPENAI, "POST", "/v1/chat/completions"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.OPENAI, "POST", "/openai/v1/chat/completions"));
    }

    @Test
    void azureRoutesCanBeConfigured() {
        RouteTable routes = table(Map.of("azure-openai", "POST /openai/deployments/*/chat/completions"));
        assertDoesNotThrow(() -> routes.check(Provider.AZURE_OPENAI, "POST", "/openai/deployments/d/chat/completions"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.AZURE_OPENAI, "POST", "/openai/v1/responses"));
    }

    @Test
    void vertexAiServesGeminiAnthropicAndOpenAiPathsNamedWithoutProjectAndLocation() {
        RouteTable routes = table(Map.of());
        String located = "/projects/my-project/locations/us-central1";
        for (String version : new String[] {"/v1", "/v1beta1"}) {
            assertEquals("publishers.google.models.generateContent", routes.check(Provider.VERTEX_AI, "POST",
                    version + located + "/publishers/google/models/gemini-2.5-flash:generateContent"));
            assertEquals("publishers.google.models.streamGenerateContent", routes.check(Provider.VERTEX_AI, "POST",
                    version + located + "/publishers/google/models/gemini-2.5-flash:streamGenerateContent"));
            assertEquals("publishers.google.models.countTokens", routes.check(Provider.VERTEX_AI, "POST",
                    version + "/publishers/google/models/g:countTokens"), "express mode's paths");
            assertEquals("publishers.anthropic.models.rawPredict", routes.check(Provider.VERTEX_AI, "POST",
                    version + located + "/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"));
            assertEquals("publishers.anthropic.models.streamRawPredict", routes.check(Provider.VERTEX_AI, "POST",
                    version + located + "/publishers/anthropic/models/c:streamRawPredict"));
            assertEquals("endpoints.openapi.chat.completions", routes.check(Provider.VERTEX_AI, "POST",
                    version + located + "/endpoints/openapi/chat/completions"));
        }
        for (String refused : new String[] {"/v1" + located + "/publishers/anthropic/models/c:generateContent",
                "/v1" + located + "/publishers/meta/models/llama:rawPredict", "/v1/chat/completions",
                "/v1beta/models/g:generateContent", "/v1/projects/p/publishers/google/models/g:generateContent"}) {
            assertThrows(ProxyRefusal.class, () -> routes.check(Provider.VERTEX_AI, "POST", refused), refused);
        }
        assertEquals(405, assertThrows(ProxyRefusal.class, () -> routes.check(Provider.VERTEX_AI, "GET",
                "/v1" + located + "/publishers/google/models/g:generateContent")).kind().status());
    }

    @Test
    void geminiServesTheNativeCallsByVerbAndTheOpenAiCompatiblePaths() {
        RouteTable routes = table(Map.of());
        assertEquals("models.generateContent", routes.check(Provider.GEMINI, "POST",
                "/v1beta/models/gemini-2.5-flash:generateContent"));
        assertEquals("models.streamGenerateContent", routes.check(Provider.GEMINI, "POST",
                "/v1beta/models/gemini-2.5-flash:streamGenerateContent"));
        assertEquals("models.countTokens", routes.check(Provider.GEMINI, "POST", "/v1/models/g:countTokens"));
        assertEquals("models", routes.check(Provider.GEMINI, "GET", "/v1beta/models"));
        assertEquals("models", routes.check(Provider.GEMINI, "GET", "/v1beta/models/gemini-2.5-flash"));
        assertEquals("chat.completions", routes.check(Provider.GEMINI, "POST", "/v1beta/openai/chat/completions"));
        assertEquals("embeddings", routes.check(Provider.GEMINI, "POST", "/v1beta/openai/embeddings"));
        assertEquals("models", routes.check(Provider.GEMINI, "GET", "/v1beta/openai/models"));
        ProxyRefusal noModel = assertThrows(ProxyRefusal.class, () -> routes.check(Provider.GEMINI, "POST",
                "/v1beta/models/:generateContent"));
        assertEquals(405, noModel.kind().status(), "no model before the verb: not the generate route (GET /models/*)");
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.GEMINI, "POST",
                "/v1beta/models/g:generateContentX"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.GEMINI, "POST", "/v1beta/models/g/generateContent"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.GEMINI, "POST", "/v1/chat/completions"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.OPENAI, "POST", "/v1/models/g:generateContent"));
    }

    @Test
    void aVerbRouteMatchesOnlyThatVerb() {
        RouteTable routes = table(Map.of("gemini", "POST /v1beta/models/*:generateContent"));
        assertDoesNotThrow(() -> routes.check(Provider.GEMINI, "POST", "/v1beta/models/g:generateContent"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.GEMINI, "POST",
                "/v1beta/models/g:streamGenerateContent"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.GEMINI, "POST", "/v1beta/models/generateContent"));
    }

    @Test
    void bedrockServesTheRuntimeApisFourCallsByModelId() {
        RouteTable routes = table(Map.of());
        for (String call : new String[] {"converse", "converse-stream", "invoke", "invoke-with-response-stream"}) {
            assertEquals(call, routes.check(Provider.BEDROCK, "POST",
                    "/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/" + call));
        }
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.BEDROCK, "POST", "/model/a/b/converse"));
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.BEDROCK, "POST", "/model/m/count-tokens"));
        assertEquals(405, assertThrows(ProxyRefusal.class, () -> routes.check(Provider.BEDROCK, "GET",
                "/model/m/converse")).kind().status());
        assertThrows(ProxyRefusal.class, () -> routes.check(Provider.OPENAI, "POST", "/model/m/converse"));
    }
}
