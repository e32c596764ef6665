package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Per-project model and origin allowlists (#5): refused before any upstream traffic; preflights never say '*'. */
interface AllowlistContract extends Contract {
    String APP = "https://app.example.com";

    @Test
    default void modelsOutsideTheAllowlistAreRefusedBeforeReachingTheProvider() throws Exception {
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"allow-models-" + db().kind() + "\","
                + "\"provider\":\"openai\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\"" + MockProvider.OPENAI_KEY
                + "\",\"allowed_models\":[\"gpt-mock\",\"mock-*\"]}");
        assertEquals(201, created.status(), created.body());
        assertEquals("[\"gpt-mock\",\"mock-*\"]", created.json().path("allowed_models").toString());
        String token = token(created.json().path("id").asText(), "");
        int before = mock().receivedOn("/v1/chat/completions").size();

        HttpResponse<String> refused = call(chat(token, "gpt-4o", false));
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("model_not_allowed", JSON.readTree(refused.body()).path("error").path("code").asText());
        assertEquals("permission_error", JSON.readTree(refused.body()).path("error").path("type").asText());
        assertEquals(before, mock().receivedOn("/v1/chat/completions").size(), "nothing reached the provider");

        assertEquals(200, call(chat(token, "gpt-mock", false)).statusCode());
        assertEquals(500, call(chat(token, "mock-500", false)).statusCode(), "the glob admits mock-500");
        Http.Response bad = admin().patch("/manage/projects/" + created.json().path("id").asText(),
                "{\"allowed_models\":[\"gpt 4\"]}");
        assertEquals("allowed_models", bad.json().path("field").asText());
    }

    @Test
    default void browserOriginsAreAllowedOnlyWhenTheProjectListsThem() throws Exception {
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"allow-origins-" + db().kind() + "\","
                + "\"provider\":\"openai\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\"" + MockProvider.OPENAI_KEY
                + "\",\"allowed_origins\":[\"" + APP + "\"]}");
        assertEquals(201, created.status(), created.body());
        String token = token(created.json().path("id").asText(), "");

        HttpResponse<String> preflight = call(preflight(APP));
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals(APP, preflight.headers().firstValue("access-control-allow-origin").orElse(""), "never '*'");
        assertTrue(preflight.headers().firstValue("access-control-allow-headers").orElse("").contains("authorization"));
        HttpResponse<String> evilPreflight = call(preflight("https://evil.example"));
        assertEquals(403, evilPreflight.statusCode());
        assertTrue(evilPreflight.headers().firstValue("access-control-allow-origin").isEmpty());

        int before = mock().receivedOn("/v1/chat/completions").size();
        HttpResponse<String> evil = call(chat(token, "gpt-mock", false).header("Origin", "https://evil.example"));
        assertEquals(403, evil.statusCode(), evil.body());
        assertEquals("origin_not_allowed", JSON.readTree(evil.body()).path("error").path("code").asText());
        assertEquals(before, mock().receivedOn("/v1/chat/completions").size(), "nothing reached the provider");

        HttpResponse<String> fromApp = call(chat(token, "gpt-mock", false).header("Origin", APP));
        assertEquals(200, fromApp.statusCode(), fromApp.body());
        assertEquals(APP, fromApp.headers().firstValue("access-control-allow-origin").orElse(""));
        assertTrue(fromApp.headers().firstValue("access-control-expose-headers").orElse("")
                .contains("x-llm-proxy-request-id"));
    }

    private HttpRequest.Builder preflight(String origin) {
        return HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type");
    }
}
