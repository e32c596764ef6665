package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.project.Provider;
import dev.llmproxy.usage.UsageDialect;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every provider definition must say, and what the first four say. */
class ProvidersTest {
    private static final ProxySettings SETTINGS = new ProxySettings(1024, 1000, 1000, 1000, "2023-06-01", Map.of(),
            4096, "us-east-1");

    /** A map standing in for an upstream request's headers. */
    static final class Headers implements UpstreamHeaders {
        final Map<String, String> values = new HashMap<>();

        @Override
        public boolean has(String name) {
            return values.containsKey(name);
        }

        @Override
        public void put(String name, String value) {
            values.put(name, value);
        }
    }

    static Map<String, String> credentials(ProviderDefinition definition, String key) {
        Headers headers = new Headers();
        definition.applyCredentials(key, SETTINGS, headers);
        return headers.values;
    }

    @Test
    void everyProviderHasAConfigurableRouteSettingAndUniqueId() {
        assertEquals(ProxySettings.ROUTED_PROVIDERS, Arrays.stream(Provider.values()).map(Provider::id).toList(),
                "ProxySettings.ROUTED_PROVIDERS lists every provider, in order");
        for (Provider p : Provider.values()) {
            assertEquals(p, Provider.fromId("provider", p.id()));
            assertFalse(p.definition().defaultRoutes().isBlank(), p.id());
        }
    }

    @Test
    void credentialsGoWhereEachProviderExpectsThem() {
        assertEquals(Map.of("Authorization", "Bearer sk-1"), credentials(new OpenAi(), "sk-1"));
        assertEquals(Map.of("Authorization", "Bearer sk-1"), credentials(new OpenAiCompatible(), "sk-1"));
        assertEquals(Map.of("x-api-key", "sk-1", "anthropic-version", "2023-06-01"), credentials(new Anthropic(), "sk-1"));
        assertEquals(Map.of("api-key", "az-1"), credentials(new AzureOpenAi(), "az-1"));
    }

    @Test
    void theCallersAnthropicVersionIsKept() {
        Headers headers = new Headers();
        headers.put("anthropic-version", "2024-01-01");
        new Anthropic().applyCredentials("sk-1", SETTINGS, headers);
        assertEquals("2024-01-01", headers.values.get("anthropic-version"));
    }

    @Test
    void familiesDecideWhichUpstreamsCanServeAProjectAndHowUsageIsRead() {
        assertTrue(Provider.OPENAI.speaksSameApiAs(Provider.OPENAI_COMPATIBLE));
        assertFalse(Provider.OPENAI.speaksSameApiAs(Provider.ANTHROPIC));
        assertFalse(Provider.OPENAI.speaksSameApiAs(Provider.AZURE_OPENAI), "Azure's paths differ from OpenAI's");
        assertTrue(Provider.AZURE_OPENAI.speaksSameApiAs(Provider.AZURE_OPENAI));
        assertEquals(UsageDialect.OPENAI, ApiFamily.AZURE_OPENAI.usage());
        assertEquals(UsageDialect.ANTHROPIC, ApiFamily.ANTHROPIC.usage());
        assertFalse(new Anthropic().asksForStreamUsage());
        assertTrue(new AzureOpenAi().asksForStreamUsage());
    }

    @Test
    void openAiStyleProvidersSendThePathAsItCame() {
        assertEquals("https://api.openai.com/v1/chat/completions?x=1",
                new OpenAi().upstreamUrl("https://api.openai.com", "/v1/chat/completions?x=1"));
        assertEquals("/v1/messages", new Anthropic().canonicalPath("/v1/messages"));
        assertTrue(new OpenAi().modelInPath("/v1/chat/completions").isEmpty());
    }
}
