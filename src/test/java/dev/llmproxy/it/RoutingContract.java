package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Several upstreams per project (#5): retries honouring Retry-After, fallback to the next upstream before the first
 * byte and never after it, and a circuit breaker per upstream that counts only the upstream's own failures.
 * Upstreams are the mock under {@code /u/<label>}; labels choose how they misbehave.
 */
interface RoutingContract extends Contract {

    private String upstreamUrl(String label) {
        return mock().baseUrl() + "/u/" + label + "-" + db().kind();
    }

    private int seen(String label) {
        return mock().receivedOn("/u/" + label + "-" + db().kind() + "/v1/chat/completions").size();
    }

    private String projectWithBackup(String name, String primaryLabel, String backupLabel) {
        String project = project(name + "-" + db().kind(), "openai", upstreamUrl(primaryLabel), MockProvider.OPENAI_KEY);
        Http.Response added = admin().post("/manage/projects/" + project + "/upstreams", "{\"name\":\"backup\","
                + "\"provider\":\"openai-compatible\",\"base_url\":\"" + upstreamUrl(backupLabel) + "\",\"api_key\":\""
                + MockProvider.OPENAI_KEY + "\",\"priority\":10}");
        assertEquals(201, added.status(), added.body());
        return project;
    }

    @Test
    default void aFailingUpstreamIsRetriedThenTheNextOneAnswers() throws Exception {
        // 503: the provider says it did not process the call, so even a POST is sent again (#14)
        String project = projectWithBackup("fallback", "fail503", "backup");
        String token = token(project, "");
        HttpResponse<String> answered = call(chat(token, "gpt-mock", false));
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals("backup", answered.headers().firstValue("x-llm-proxy-upstream").orElse(""));
        assertEquals("3", answered.headers().firstValue("x-llm-proxy-attempts").orElse(""));
        assertEquals(2, seen("fail503"), "one try and one retry on the failing upstream");
        assertEquals(1, seen("backup"));

        // 429 with Retry-After: 1 is retried after a second, then the next upstream answers.
        String primary = admin().get("/manage/projects/" + project + "/upstreams").json().path("items").get(0)
                .path("id").asText();
        assertEquals(200, admin().patch("/manage/projects/" + project + "/upstreams/" + primary,
                "{\"base_url\":\"" + upstreamUrl("fail429") + "\"}").status());
        long start = System.nanoTime();
        HttpResponse<String> afterWait = call(chat(token, "gpt-mock", true));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, afterWait.statusCode(), afterWait.body());
        assertTrue(afterWait.body().contains("Hello"), afterWait.body());
        assertEquals("backup", afterWait.headers().firstValue("x-llm-proxy-upstream").orElse(""));
        assertEquals(2, mock().receivedOn("/u/fail429-" + db().kind() + "/v1/chat/completions").size());
        assertTrue(tookMs >= 950, "the retry waited for Retry-After: 1; took " + tookMs + " ms");
    }

    @Test
    default void noFallbackOnceTheFirstByteReachedTheCallerAndTheLastFailureIsPassedOn() throws Exception {
        String stalled = projectWithBackup("stall", "stall", "stall-backup");
        HttpResponse<String> partial = call(chat(token(stalled, ""), "gpt-mock", true));
        assertEquals(200, partial.statusCode());
        assertTrue(partial.body().contains("partial"), partial.body());
        assertEquals("default", partial.headers().firstValue("x-llm-proxy-upstream").orElse(""));
        assertEquals(0, seen("stall-backup"), "the stream had begun: no fallback");

        // A 500 may have been processed (and billed): a POST is not sent again by default (#14) ...
        String failing = projectWithBackup("allfail", "fail500a", "fail500b");
        HttpResponse<String> failed = call(chat(token(failing, ""), "gpt-mock", false));
        assertEquals(500, failed.statusCode());
        assertTrue(failed.body().contains("upstream fail500a-" + db().kind() + " failed"), failed.body());
        assertEquals("1", failed.headers().firstValue("x-llm-proxy-attempts").orElse(""));
        assertEquals(0, seen("fail500b"));
        // ... unless its project allows it: then every attempt is made and the last upstream's answer passed on.
        assertEquals(200, admin().patch("/manage/projects/" + failing, "{\"retry_unsafe\":true}").status());
        HttpResponse<String> allFailed = call(chat(token(failing, ""), "gpt-mock", false));
        assertEquals(500, allFailed.statusCode());
        assertTrue(allFailed.body().contains("upstream fail500b-" + db().kind() + " failed"), allFailed.body());
        assertEquals("4", allFailed.headers().firstValue("x-llm-proxy-attempts").orElse(""));
        assertEquals(3, seen("fail500a"), "one, then one try and one retry");
    }

    @Test
    default void theBreakerOpensOnUpstreamFailuresOnlyAndHalfOpensAfterItsWait() throws Exception {
        String project = project("breaker-" + db().kind(), "openai", upstreamUrl("flaky"), MockProvider.OPENAI_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + project, "{\"allowed_models\":[\"gpt-*\"]}").status());
        String token = token(project, "");
        for (int i = 0; i < 12; i++) { // the proxy's own refusals say nothing about the upstream
            assertEquals(403, call(chat(token, "claude-x", false)).statusCode());
        }
        assertEquals("closed", circuit(project).path("state").asText());
        assertEquals(0, circuit(project).path("calls").asInt());

        mock().flaky = true;
        try {
            for (int i = 0; i < 5; i++) { // two failed attempts each: ten failures open the breaker (minimum ten calls)
                assertEquals(503, call(chat(token, "gpt-mock", false)).statusCode());
            }
            assertEquals("open", circuit(project).path("state").asText(), circuit(project).toString());
            int reached = seen("flaky");
            assertEquals(10, reached);
            HttpResponse<String> refused = call(chat(token, "gpt-mock", false));
            assertEquals(503, refused.statusCode());
            assertEquals("upstream_circuit_open", JSON.readTree(refused.body()).path("error").path("code").asText());
            assertTrue(Long.parseLong(refused.headers().firstValue("retry-after").orElse("0")) >= 1);
            assertEquals(reached, seen("flaky"), "an open breaker sends nothing upstream");
        } finally {
            mock().flaky = false;
        }
        // Waits out the breaker's open state (breaker-open-ms is 1500 in the tests): that wait is what is tested.
        Thread.sleep(1_700);
        HttpResponse<String> trial = call(chat(token, "gpt-mock", false));
        assertEquals(200, trial.statusCode(), "the half-open trial call goes through");
        assertEquals("closed", circuit(project).path("state").asText(), "one good trial call closes it");
    }

    @Test
    default void upstreamsAreManagedThroughTheAdminApiAndAudited() throws Exception {
        String project = project("upstreams-" + db().kind(), "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
        String base = "/manage/projects/" + project + "/upstreams";
        Http.Response wrongApi = admin().post(base, "{\"name\":\"claude\",\"provider\":\"anthropic\",\"api_key\":\"k-123\"}");
        assertEquals(400, wrongApi.status());
        assertEquals("provider", wrongApi.json().path("field").asText());
        assertEquals(409, admin().post(base, "{\"name\":\"default\",\"provider\":\"openai\",\"api_key\":\"k-123\"}").status());
        String only = admin().get(base).json().path("items").get(0).path("id").asText();
        Http.Response last = admin().delete(base + "/" + only);
        assertEquals(409, last.status());
        assertEquals("last_upstream", last.json().path("code").asText());

        Http.Response mini = admin().post(base, "{\"name\":\"mini\",\"provider\":\"openai\",\"base_url\":\""
                + upstreamUrl("mini") + "\",\"api_key\":\"" + MockProvider.OPENAI_KEY
                + "\",\"models\":[\"gpt-mini*\"],\"priority\":0}");
        assertEquals(201, mini.status(), mini.body());
        assertTrue(mini.json().path("api_key_hint").asText().endsWith("0001"));
        assertTrue(!mini.body().contains(MockProvider.OPENAI_KEY), "the key is never shown");
        JsonNode listed = admin().get(base).json().path("items");
        assertEquals("default", listed.get(0).path("name").asText(), "ties on priority go by name");
        assertEquals("mini", listed.get(1).path("name").asText());
        assertEquals(409, admin().patch("/manage/projects/" + project, "{\"api_key\":\"sk-new-0123456789\"}").status());

        assertEquals(200, admin().patch(base + "/" + only, "{\"priority\":5}").status());
        String token = token(project, "");
        HttpResponse<String> routed = call(chat(token, "gpt-mini-1", false));
        assertEquals("mini", routed.headers().firstValue("x-llm-proxy-upstream").orElse(""), routed.body());
        HttpResponse<String> other = call(chat(token, "gpt-mock", false));
        assertEquals("default", other.headers().firstValue("x-llm-proxy-upstream").orElse(""));

        assertEquals(200, admin().patch(base + "/" + only, "{\"models\":[\"o3*\"]}").status());
        HttpResponse<String> unrouted = call(chat(token, "gpt-mock", false));
        assertEquals(404, unrouted.statusCode());
        assertEquals("model_not_routed", JSON.readTree(unrouted.body()).path("error").path("code").asText());

        assertEquals(204, admin().delete(base + "/" + mini.json().path("id").asText()).status());
        JsonNode audit = admin().get("/manage/audit?target_id=" + project).json().path("items");
        String actions = audit.toString();
        for (String action : new String[] {"upstream.created", "upstream.updated", "upstream.deleted"}) {
            assertTrue(actions.contains(action), action + " in " + actions);
        }
    }

    private JsonNode circuit(String project) {
        return admin().get("/manage/projects/" + project + "/upstreams").json().path("items").get(0).path("circuit");
    }
}
