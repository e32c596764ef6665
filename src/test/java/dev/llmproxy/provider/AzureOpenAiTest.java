package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AzureOpenAiTest {
    private final AzureOpenAi azure = new AzureOpenAi();

    @Test
    void theUpstreamUrlIsTheResourceEndpointWithTheCallersPathAndApiVersion() {
        assertEquals("https://res.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21",
                azure.upstreamUrl("https://res.openai.azure.com",
                        "/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21"));
        assertEquals("https://res.openai.azure.com/openai/v1/responses",
                azure.upstreamUrl("https://res.openai.azure.com", "/openai/v1/responses"));
        assertTrue(azure.defaultBaseUrl().isEmpty(), "every resource has its own endpoint");
    }

    @Test
    void theKeyGoesInTheApiKeyHeaderOnly() {
        assertEquals(java.util.Map.of("api-key", "az-key"), ProvidersTest.credentials(azure, "az-key"));
    }

    @Test
    void theDeploymentIsTheModelOfADeploymentPath() {
        assertEquals(Optional.of("prod-4o"), azure.modelInPath("/openai/deployments/prod-4o/chat/completions"));
        assertEquals(Optional.of("emb"), azure.modelInPath("/openai/deployments/emb/embeddings"));
        assertTrue(azure.modelInPath("/openai/v1/chat/completions").isEmpty(), "the v1 API names it in the body");
        assertTrue(azure.modelInPath("/openai/deployments/").isEmpty());
        assertTrue(azure.namesDeployments());
        assertFalse(new OpenAi().namesDeployments());
    }

    @Test
    void bothPathStylesAreTheOpenAiCallTheyMirror() {
        assertEquals("/v1/chat/completions", azure.canonicalPath("/openai/deployments/prod-4o/chat/completions"));
        assertEquals("/v1/completions", azure.canonicalPath("/openai/deployments/d/completions"));
        assertEquals("/v1/chat/completions", azure.canonicalPath("/openai/v1/chat/completions"));
        assertEquals("/v1/responses", azure.canonicalPath("/openai/v1/responses"));
        assertEquals("/other", azure.canonicalPath("/other"));
    }
}
