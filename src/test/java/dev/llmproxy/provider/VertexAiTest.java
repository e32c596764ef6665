package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.usage.UsageDialect;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Google Vertex AI: the three APIs on its paths, the model in the path, the service account or express key. */
class VertexAiTest {
    static final String GEMINI = "/v1/projects/my-project/locations/us-central1/publishers/google/models/"
            + "gemini-2.5-flash:generateContent";
    static final String CLAUDE = "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/"
            + "claude-sonnet-4-5@20250929:streamRawPredict";
    static final String OPENAI = "/v1beta1/projects/my-project/locations/global/endpoints/openapi/chat/completions";
    private final VertexAi vertex = new VertexAi();

    @Test
    void theUpstreamUrlIsTheLocationsEndpointWithTheCallersPath() {
        assertEquals("vertex-ai", vertex.id());
        assertEquals(Optional.of("https://aiplatform.googleapis.com"), vertex.defaultBaseUrl(), "the global endpoint");
        assertEquals("https://us-central1-aiplatform.googleapis.com" + GEMINI,
                vertex.upstreamUrl("https://us-central1-aiplatform.googleapis.com", GEMINI));
        assertTrue(vertex.baseUrlProblem("https://europe-west4-aiplatform.googleapis.com").isEmpty());
        for (String withPath : new String[] {"https://aiplatform.googleapis.com/v1",
                "https://aiplatform.googleapis.com/v1beta1", "https://x.example/v1/projects/p/locations/l"}) {
            assertTrue(vertex.baseUrlProblem(withPath).isPresent(), withPath + ": the paths bring the version");
        }
    }

    @Test
    void theModelIsThePathsPublisherModel() {
        assertEquals(Optional.of("gemini-2.5-flash"), vertex.modelInPath(GEMINI));
        assertEquals(Optional.of("claude-sonnet-4-5@20250929"), vertex.modelInPath(CLAUDE));
        assertEquals(Optional.of("gemini-2.5-pro"), vertex.modelInPath(
                "/v1beta1/publishers/google/models/gemini-2.5-pro:streamGenerateContent"), "express mode's path");
        assertEquals(Optional.of("gemini-2.0-flash"), vertex.modelInPath(
                "/v1beta1/projects/p/locations/l/publishers/google/models/gemini-2.0-flash:countTokens"));
        assertTrue(vertex.modelInPath(OPENAI).isEmpty(), "OpenAI's bodies name it");
        assertTrue(vertex.modelInPath("/v1/projects/p/locations/l/publishers/anthropic/models/count-tokens:rawPredict")
                .isEmpty(), "Anthropic's count names it in the body");
        assertTrue(vertex.modelInPath("/v1/projects/p/locations/l/publishers/meta/models/llama:rawPredict").isEmpty());
        assertTrue(vertex.modelInPath("/v1/projects/p/publishers/google/models/g:generateContent").isEmpty());
        assertTrue(vertex.modelInPath("/v1/projects/p/locations/l/publishers/google/models/a/b:generateContent")
                .isEmpty(), "one segment only");
        assertTrue(vertex.modelInPath("/v2/publishers/google/models/g:generateContent").isEmpty());
    }

    @Test
    void eachApiIsReadItsOwnWay() {
        assertEquals(UsageDialect.GEMINI, vertex.usage(GEMINI));
        assertEquals(UsageDialect.ANTHROPIC, vertex.usage(CLAUDE));
        assertEquals(UsageDialect.OPENAI, vertex.usage(OPENAI));
        assertTrue(vertex.anthropicPrompt(CLAUDE));
        assertFalse(vertex.anthropicPrompt(GEMINI));
        assertFalse(vertex.anthropicPrompt(OPENAI));
        assertEquals("/v1/chat/completions", vertex.canonicalPath(OPENAI), "stream usage is asked for there");
        assertEquals(GEMINI, vertex.canonicalPath(GEMINI));
        assertTrue(vertex.asksForStreamUsage());
        assertTrue(vertex.generates("POST", GEMINI));
        assertTrue(vertex.generates("POST", CLAUDE));
        assertFalse(vertex.generates("POST", GEMINI.replace(":generateContent", ":countTokens")), "counting is free");
        assertFalse(vertex.generates("POST",
                "/v1/projects/p/locations/l/publishers/anthropic/models/count-tokens:rawPredict"));
        assertEquals(ApiFamily.VERTEX_AI, vertex.family(), "a Gemini project's calls cannot go to Vertex as they are");
    }

    @Test
    void errorsTakeTheShapeTheCallersSdkReads() {
        assertTrue(VertexAi.googlePath(GEMINI));
        assertTrue(VertexAi.googlePath("/v1beta1/publishers/google/models/g:generateContent"));
        assertTrue(VertexAi.googlePath("/v1/projects/a%20b/locations/l"), "a malformed Vertex path too");
        assertFalse(VertexAi.googlePath(CLAUDE));
        assertFalse(VertexAi.googlePath(OPENAI));
        assertFalse(VertexAi.googlePath("/v1/chat/completions"));
        assertTrue(VertexAi.anthropicPath(CLAUDE));
        assertFalse(VertexAi.anthropicPath("/v1/messages"), "Anthropic's own path is known elsewhere");
        assertFalse(VertexAi.anthropicPath(GEMINI));
    }

    @Test
    void aServiceAccountGetsTokensAndAnExpressKeyGoesInXGoogApiKey() {
        String json = GoogleServiceAccountTest.json(GoogleServiceAccountTest.PEM,
                "https://oauth2.googleapis.com/token");
        Optional<GoogleServiceAccount> account = vertex.tokenCredential(json);
        assertTrue(account.isPresent());
        assertEquals("proxy@my-project.iam.gserviceaccount.com", account.get().clientEmail());
        assertTrue(vertex.apiKeyProblem(json).isEmpty());
        assertTrue(vertex.tokenCredential("AQ.express-mode-key").isEmpty(), "an express mode key goes as it is");
        assertEquals(Map.of("x-goog-api-key", "AQ.express-mode-key"),
                ProvidersTest.credentials(vertex, "AQ.express-mode-key"));
        assertTrue(vertex.apiKeyProblem("{\"type\":\"authorized_user\"}").isPresent(),
                "a JSON key must be an account's");
        ProvidersTest.Headers headers = new ProvidersTest.Headers();
        vertex.applyAccessToken("ya29.token", headers);
        assertEquals(Map.of("Authorization", "Bearer ya29.token"), headers.values);
    }
}
