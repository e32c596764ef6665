package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.provider.Bedrock;
import dev.llmproxy.provider.SignedRequestFake;
import dev.llmproxy.provider.SigningContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mock's SigV4 check against the AWS SDK for Java's signer as the proxy uses it: a request the proxy signed with
 * the mock's key is answered, one signed with another secret or changed after signing gets AWS's 403.
 */
class MockBedrockTest {
    private static final ProxySettings SETTINGS = new ProxySettings(1024, 1000, 1000, 1000, "2023-06-01", Map.of(),
            4096, MockBedrock.REGION);

    private static HttpResponse<String> send(String key, String body, String sentBody) throws Exception {
        return send(key, "anthropic.claude-3-haiku-20240307-v1%3A0/converse", body, sentBody);
    }

    private static HttpResponse<String> send(String key, String call, String body, String sentBody) throws Exception {
        try (MockProvider mock = new MockProvider()) {
            String url = mock.baseUrl() + "/model/" + call;
            SignedRequestFake request = new SignedRequestFake(url, body);
            request.headers.put("amz-sdk-request", List.of("attempt=1; max=1"));
            new Bedrock().sign(key, new SigningContext(SETTINGS, Clock.systemUTC(), () -> null), request);
            HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofString(sentBody)).header("Content-Type", "application/json");
            request.headers.forEach((name, values) -> values.forEach(v -> http.header(name, v)));
            return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void takesWhatTheProxySignedAndRefusesAnotherSecretOrAChangedBody() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
        HttpResponse<String> signed = send(MockBedrock.KEY, body, body);
        assertEquals(200, signed.statusCode(), signed.body());
        assertTrue(signed.body().contains("Hello from Bedrock"), signed.body());
        HttpResponse<String> wrong = send(MockBedrock.ACCESS_KEY_ID + ":anotherSecret", body, body);
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertTrue(wrong.headers().firstValue("x-amzn-ErrorType").orElseThrow().startsWith("InvalidSignatureException"));
        HttpResponse<String> changed = send(MockBedrock.KEY, body, body.replace("hi", "ho"));
        assertEquals(403, changed.statusCode(), changed.body());
    }

    @Test
    void invokeModelAnswersEachModelsBodyWithBedrocksTokenCountHeaders() throws Exception {
        String prompt = "{\"prompt\":\"Say hello\",\"max_gen_len\":64}";
        HttpResponse<String> llama = send(MockBedrock.KEY, "meta.llama3-1-70b-instruct-v1%3A0/invoke", prompt, prompt);
        assertEquals(200, llama.statusCode(), llama.body());
        assertTrue(llama.body().contains("\"generation\":\"Hello from Llama on Bedrock\""), llama.body());
        assertEquals("18", llama.headers().firstValue("X-Amzn-Bedrock-Input-Token-Count").orElseThrow());
        assertEquals("7", llama.headers().firstValue("X-Amzn-Bedrock-Output-Token-Count").orElseThrow());
        HttpResponse<String> mistral = send(MockBedrock.KEY, "mistral.mistral-large-2407-v1%3A0/invoke", prompt,
                prompt);
        assertTrue(mistral.body().startsWith("{\"outputs\":[{\"text\":\"Hello from Mistral"), mistral.body());
        assertEquals("9", mistral.headers().firstValue("X-Amzn-Bedrock-Output-Token-Count").orElseThrow());
        String noPrompt = "{\"max_tokens\":64}";
        HttpResponse<String> refused = send(MockBedrock.KEY, "mistral.mistral-large-2407-v1%3A0/invoke", noPrompt,
                noPrompt);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("x-amzn-ErrorType").orElseThrow().startsWith("ValidationException"));
    }
}
