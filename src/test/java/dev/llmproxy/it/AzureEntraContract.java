package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI upstreams called with Microsoft Entra ID access tokens (docs/proxy.md, "Azure OpenAI"): the key names
 * the application ({@code entra:<tenant>:<client>:<secret>}), the proxy gets a token from the mock's token endpoint
 * (the deployment's {@code azure-entra-authority}) and calls Azure with it in {@code Authorization: Bearer}.
 */
interface AzureEntraContract extends Contract {
    String CLIENT_ID = "0b3c5e1a-7d2f-4c8e-9a6b-1f2e3d4c5b6a";

    /** An azure-openai project whose key names an application of {@code tenant}; returns its response. */
    private Http.Response entraProject(String name, String tenant) {
        return admin().post("/manage/projects", "{\"name\":\"" + deployment().unique(name)
                + "\",\"provider\":\"azure-openai\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\"entra:"
                + tenant + ":" + CLIENT_ID + ":" + MockProvider.ENTRA_SECRET + "\",\"allowed_models\":[\"gpt-mock\"],"
                + "\"deployments\":{\"chat\":\"gpt-mock\",\"filtered\":\"gpt-mock\",\"mini\":\"gpt-mini-mock\"}}");
    }

    private HttpRequest.Builder azureChat(String token) {
        return post(token, "/openai/deployments/chat/chat/completions?api-version=2024-10-21",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The AzureOpenAI client of the openai SDK gets its answers through an Entra project; Azure saw the issued token,
     * never a key; all its calls cost one token request; a token Azure stops taking (401) is replaced once, and the
     * call still answered.
     */
    @Test
    default void azureEntraTokensCallAzureWithTheIssuedTokenFetchedOnceForManyCalls() throws Exception {
        String tenant = deployment().unique("tenant").toLowerCase() + ".onmicrosoft.com";
        Http.Response created = entraProject("entra", tenant);
        assertEquals(201, created.status(), created.body());
        assertFalse(created.body().contains(MockProvider.ENTRA_SECRET), "the secret is never shown: " + created.body());
        Contract.Issued issued = issue(created.json().path("id").asText(), "");

        JsonNode out = NodeSdk.run("azure-check.mjs", Map.of("AZURE_OPENAI_ENDPOINT", server().baseUrl(),
                "AZURE_OPENAI_API_KEY", issued.token()));
        assertEquals("Hello from mock", out.path("text").asText(), out.toString());
        assertEquals("Hello from mock", out.path("streamText").asText(), out.toString());
        assertEquals("Hello from mock", out.path("v1text").asText(), out.toString());
        assertEquals("Hello from mock", out.path("v1responseText").asText(), out.toString());
        assertEquals(400, out.path("errors").path("filtered").path("status").asInt(), out.toString());
        assertEquals("content_filter", out.path("errors").path("filtered").path("code").asText(), out.toString());
        assertEquals(1, mock().entraTokenRequests(tenant), "one token for the five calls that reached Azure");
        List<MockProvider.Received> sent = mock().receivedOn("/openai/deployments/chat/chat/completions").stream()
                .filter(r -> r.header("Authorization") != null && !r.header("Authorization").contains(issued.token()))
                .toList();
        assertFalse(sent.isEmpty());
        MockProvider.Received last = sent.get(sent.size() - 1);
        assertTrue(last.header("Authorization").matches("Bearer entra-token-\\d+"), last.header("Authorization"));
        assertNull(last.header("api-key"), "a token, not a key");

        mock().revokeEntraTokens(); // Azure refuses the cached token: the proxy gets a new one and sends again
        HttpResponse<String> renewed = call(azureChat(issued.token()));
        assertEquals(200, renewed.statusCode(), renewed.body());
        assertEquals(2, mock().entraTokenRequests(tenant), "one more token, once");
        awaitCount(issued.recordsQuery() + " AND status = 200", 5);
    }

    /**
     * A malformed application key is refused when stored, naming the field and repeating no part of it; a token
     * endpoint that refuses the secret, is slow or answers no token gets the caller an OpenAI-style error (502 or
     * 503) that names the cause and never the secret, recorded once with that status, and Azure is never called.
     */
    @Test
    default void azureEntraFailuresAreRefusedClearlyAndRecordedOnce() throws Exception {
        String secretLike = "Sup3r~Secret.value";
        Http.Response malformed = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("entra-bad")
                + "\",\"provider\":\"azure-openai\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\"entra:"
                + secretLike + "\"}");
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals("api_key", malformed.json().path("field").asText(), malformed.body());
        assertFalse(malformed.body().contains(secretLike), malformed.body());

        record Fault(String tenantPrefix, int status, String code) { }
        int azureCallsBefore = mock().receivedOn("/openai/deployments/chat/chat/completions").size();
        for (Fault fault : List.of(new Fault("rejected-", 502, "upstream_credentials_rejected"),
                new Fault("slow-", 503, "upstream_credentials_unavailable"),
                new Fault("malformed-", 503, "upstream_credentials_unavailable"))) {
            String tenant = fault.tenantPrefix() + deployment().unique("t").toLowerCase() + ".example.com";
            Http.Response created = entraProject("entra-fault", tenant);
            assertEquals(201, created.status(), created.body());
            Contract.Issued issued = issue(created.json().path("id").asText(), "");
            long started = System.nanoTime();
            HttpResponse<String> refused = call(azureChat(issued.token()));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(fault.status(), refused.statusCode(), tenant + ": " + refused.body());
            JsonNode error = new ObjectMapper().readTree(refused.body()).path("error");
            assertEquals(fault.code(), error.path("code").asText(), refused.body());
            assertTrue(error.path("message").asText().contains("Entra ID"), refused.body());
            assertFalse(error.path("type").asText().isEmpty(), refused.body());
            assertFalse(refused.body().contains(MockProvider.ENTRA_SECRET), refused.body());
            assertTrue(tookMs < 6_000, tenant + ": answered by the deadline (1.5 s per attempt), took " + tookMs + " ms");
            String requestId = refused.headers().firstValue("x-llm-proxy-request-id").orElseThrow();
            awaitCount("SELECT COUNT(*) FROM request_records WHERE request_id = '" + requestId + "' AND status = "
                    + fault.status() + " AND error_code = '" + fault.code() + "'", 1);
            awaitCount(issued.recordsQuery(), 1);
        }
        assertEquals(azureCallsBefore, mock().receivedOn("/openai/deployments/chat/chat/completions").size(),
                "no call reached Azure without a token");
    }
}
