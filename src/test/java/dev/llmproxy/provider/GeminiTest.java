package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.usage.UsageDialect;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Google Gemini with an AI Studio key: the native paths, the OpenAI-compatible ones, the key, the model in the path. */
class GeminiTest {
    private final Gemini gemini = new Gemini();

    @Test
    void theUpstreamUrlIsGooglesRootWithTheCallersPath() {
        assertEquals(Optional.of("https://generativelanguage.googleapis.com"), gemini.defaultBaseUrl());
        assertEquals("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
                gemini.upstreamUrl("https://generativelanguage.googleapis.com",
                        "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
        assertTrue(gemini.baseUrlProblem("https://generativelanguage.googleapis.com").isEmpty());
        for (String withVersion : new String[] {"https://g.example/v1beta", "https://g.example/v1",
                "https://g.example/v1beta/openai"}) {
            assertTrue(gemini.baseUrlProblem(withVersion).isPresent(), withVersion + ": the paths bring the version");
        }
    }

    @Test
    void theKeyGoesInXGoogApiKeyOnly() {
        assertEquals(Map.of("x-goog-api-key", "AIza-1"), ProvidersTest.credentials(gemini, "AIza-1"));
    }

    @Test
    void theModelIsThePathsResourceBeforeTheMethod() {
        assertEquals(Optional.of("gemini-2.5-flash"), gemini.modelInPath("/v1beta/models/gemini-2.5-flash:generateContent"));
        assertEquals(Optional.of("gemini-2.5-pro"), gemini.modelInPath("/v1/models/gemini-2.5-pro:streamGenerateContent"));
        assertEquals(Optional.of("gemini-2.0-flash"), gemini.modelInPath("/v1beta/models/gemini-2.0-flash:countTokens"));
        assertEquals(Optional.of("odd:name"), gemini.modelInPath("/v1beta/models/odd:name:generateContent"),
                "the method follows the last colon");
        assertTrue(gemini.modelInPath("/v1beta/models/:generateContent").isEmpty(), "no model named");
        assertTrue(gemini.modelInPath("/v1beta/models/gemini-2.5-flash").isEmpty(), "a GET of the model names no call");
        assertTrue(gemini.modelInPath("/v1beta/models/a/b:generateContent").isEmpty(), "one segment only");
        assertTrue(gemini.modelInPath("/v1beta/openai/chat/completions").isEmpty(), "OpenAI's bodies name it");
        assertTrue(gemini.modelInPath("/v1beta/models/gemini:generateContent/").isEmpty());
        String huge = "m".repeat(100_000);
        assertEquals(Optional.of(huge), gemini.modelInPath("/v1beta/models/" + huge + ":generateContent"));
    }

    @Test
    void theOpenAiCompatiblePathsAreOpenAisCallsWithOpenAisUsage() {
        assertEquals("/v1/chat/completions", gemini.canonicalPath("/v1beta/openai/chat/completions"));
        assertEquals("/v1/embeddings", gemini.canonicalPath("/v1beta/openai/embeddings"));
        assertEquals("/v1beta/models/g:generateContent", gemini.canonicalPath("/v1beta/models/g:generateContent"));
        assertEquals(UsageDialect.OPENAI, gemini.usage("/v1beta/openai/chat/completions"));
        assertEquals(UsageDialect.GEMINI, gemini.usage("/v1beta/models/g:generateContent"));
        assertEquals(UsageDialect.GEMINI, gemini.usage("/v1/models/g:generateContent"));
        assertTrue(gemini.asksForStreamUsage(), "only OpenAI's chat paths are rewritten (UpstreamBody)");
    }

    @Test
    void countTokensAndReadsGenerateNothing() {
        assertTrue(gemini.generates("POST", "/v1beta/models/g:generateContent"));
        assertTrue(gemini.generates("POST", "/v1beta/models/g:streamGenerateContent"));
        assertTrue(gemini.generates("POST", "/v1beta/openai/chat/completions"));
        assertFalse(gemini.generates("POST", "/v1beta/models/g:countTokens"));
        assertFalse(gemini.generates("POST", "/v1/models/g:countTokens"));
        assertFalse(gemini.generates("GET", "/v1beta/models/g"));
        assertTrue(new OpenAi().generates("POST", "/v1/models/g:countTokens"), "only Gemini's countTokens");
    }

    @Test
    void theNativePathsAreThoseWithGooglesErrorShape() {
        assertTrue(Gemini.nativePath("/v1beta/models/g:generateContent"));
        assertTrue(Gemini.nativePath("/v1beta/models"));
        assertTrue(Gemini.nativePath("/v1beta/unknown"));
        assertTrue(Gemini.nativePath("/v1/models/g:streamGenerateContent"));
        assertFalse(Gemini.nativePath("/v1beta/openai/chat/completions"));
        assertFalse(Gemini.nativePath("/v1/models"), "OpenAI's and Anthropic's too");
        assertFalse(Gemini.nativePath("/v1/models/gpt-4o"));
        assertFalse(Gemini.nativePath("/v1/chat/completions"));
        assertFalse(Gemini.nativePath("/v1betax/models"));
    }

    @Test
    void itIsAFamilyOfItsOwn() {
        assertEquals(ApiFamily.GEMINI, gemini.family());
        assertEquals(UsageDialect.GEMINI, ApiFamily.GEMINI.usage());
        assertFalse(gemini.namesDeployments());
    }
}
