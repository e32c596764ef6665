package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Requests and tokens per minute (#5), per token and per project, with OpenAI's x-ratelimit-* headers. */
interface RateLimitContract extends Contract {

    @Test
    default void requestsPerMinuteAreLimitedWithHeadersAndRetryAfter() throws Exception {
        Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + openAiProject("rpm-token")
                + "\",\"duration_minutes\":60,\"rpm_limit\":3}");
        assertEquals(3, issued.json().path("rpm_limit").asInt(), issued.body());
        String token = issued.json().path("token").asText();
        for (int remaining = 2; remaining >= 0; remaining--) {
            HttpResponse<String> ok = call(get(token, "/v1/models"));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("3", ok.headers().firstValue("x-ratelimit-limit-requests").orElse(""));
            assertEquals(String.valueOf(remaining), ok.headers().firstValue("x-ratelimit-remaining-requests").orElse(""));
            assertTrue(ok.headers().firstValue("x-ratelimit-reset-requests").isPresent());
        }
        HttpResponse<String> refused = call(get(token, "/v1/models"));
        assertEquals(429, refused.statusCode());
        var error = JSON.readTree(refused.body()).path("error");
        assertEquals("requests_rate_limit_exceeded", error.path("code").asText());
        assertEquals("rate_limit_error", error.path("type").asText());
        assertTrue(Long.parseLong(refused.headers().firstValue("retry-after").orElse("0")) >= 1);
        assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining-requests").orElse(""));
    }

    @Test
    default void tokensPerMinuteCountTheRealUsageAfterEachCall() throws Exception {
        // Each mock answer uses 16 tokens while the proxy estimates the prompt "hi" at about 8 before the call:
        // the bucket of 40 is corrected after every call and runs out after two or three calls.
        Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + openAiProject("tpm-token")
                + "\",\"duration_minutes\":60,\"tpm_limit\":40}");
        String token = issued.json().path("token").asText();
        int admitted = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            last = call(chat(token, "gpt-mock", false));
            if (last.statusCode() != 200) {
                break;
            }
            assertEquals("40", last.headers().firstValue("x-ratelimit-limit-tokens").orElse(""));
            admitted++;
        }
        assertTrue(admitted >= 2 && admitted <= 3, "admitted " + admitted);
        assertEquals(429, last.statusCode());
        assertEquals("tokens_rate_limit_exceeded", JSON.readTree(last.body()).path("error").path("code").asText());
    }

    @Test
    default void aProjectLimitCountsAllItsTokens() throws Exception {
        String project = project("rpm-" + db().kind(), "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + project, "{\"rpm_limit\":2}").status());
        String first = token(project, "");
        String second = token(project, "");
        assertEquals(200, call(get(first, "/v1/models")).statusCode());
        assertEquals(200, call(get(second, "/v1/models")).statusCode());
        HttpResponse<String> third = call(get(first, "/v1/models"));
        assertEquals(429, third.statusCode(), "two tokens share the project's two requests a minute");
        assertEquals("rpm_limit", admin().patch("/manage/projects/" + project, "{\"rpm_limit\":0}").json().path("field").asText());
    }
}
