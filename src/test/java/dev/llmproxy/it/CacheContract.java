package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The response cache (#5): opt-in per project ({@code cache_ttl_seconds}) and per request ({@code Cache-Control}),
 * deterministic non-streamed calls only, never shared across projects, never a failed answer; a hit is recorded,
 * costs nothing and takes nothing from the rate limits; a purge is audited and takes effect.
 */
interface CacheContract extends Contract {
    String DETERMINISTIC = "{\"model\":\"gpt-mock\",\"temperature\":0,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"cache me\"}]}";

    private String upstream(String label) {
        return mock().baseUrl() + "/u/" + label + "-" + db().kind();
    }

    private int seen(String label) {
        return mock().receivedOn("/u/" + label + "-" + db().kind() + "/v1/chat/completions").size();
    }

    private String cachedProject(String name, String label) {
        String project = project(name + "-" + db().kind(), "openai", upstream(label), MockProvider.OPENAI_KEY);
        Http.Response on = admin().patch("/manage/projects/" + project, "{\"cache_ttl_seconds\":300}");
        assertEquals(200, on.status(), on.body());
        assertEquals(300, on.json().path("cache_ttl_seconds").asInt());
        return project;
    }

    private HttpResponse<String> ask(String token, String body, String cacheControl) throws Exception {
        HttpRequest.Builder request = post(token, "/v1/chat/completions", body.getBytes(StandardCharsets.UTF_8));
        if (cacheControl != null) {
            request.header("Cache-Control", cacheControl);
        }
        return call(request);
    }

    private static String cacheStatus(HttpResponse<String> r) {
        return r.headers().firstValue("cache-status").orElse("");
    }

    @Test
    default void aDeterministicAnswerIsServedAgainToTheSameProjectOnly() throws Exception {
        String a = cachedProject("cache-a", "cache");
        String b = cachedProject("cache-b", "cache");
        String tokenA = token(a, "");
        String tokenB = token(b, "");

        HttpResponse<String> first = ask(tokenA, DETERMINISTIC, "max-age=300");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("llm-proxy; fwd=miss; stored", cacheStatus(first));
        assertEquals(1, seen("cache"));

        HttpResponse<String> again = ask(tokenA, DETERMINISTIC, "max-age=300");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(cacheStatus(again).startsWith("llm-proxy; hit; ttl="), cacheStatus(again));
        assertEquals(first.body(), again.body());
        assertEquals("0", again.headers().firstValue("x-llm-proxy-attempts").orElse(""));
        assertTrue(again.headers().firstValue("content-type").orElse("").contains("json"));
        assertEquals(1, seen("cache"), "a hit sends nothing upstream");

        HttpResponse<String> otherProject = ask(tokenB, DETERMINISTIC, "max-age=300");
        assertEquals(200, otherProject.statusCode());
        assertEquals("llm-proxy; fwd=miss; stored", cacheStatus(otherProject), "never shared across projects");
        assertEquals(2, seen("cache"));

        HttpResponse<String> otherBody = ask(tokenA, DETERMINISTIC.replace("cache me", "cache me too"), "max-age=300");
        assertTrue(cacheStatus(otherBody).contains("fwd=miss"), cacheStatus(otherBody));
        assertEquals(3, seen("cache"));

        HttpResponse<String> notAsked = ask(tokenA, DETERMINISTIC, null);
        assertEquals("llm-proxy; fwd=bypass; detail=not-requested", cacheStatus(notAsked));
        assertEquals(4, seen("cache"));

        HttpResponse<String> refresh = ask(tokenA, DETERMINISTIC, "no-cache");
        assertEquals("llm-proxy; fwd=request; stored", cacheStatus(refresh));
        assertEquals(5, seen("cache"));

        HttpResponse<String> sampled = ask(tokenA, DETERMINISTIC.replace("\"temperature\":0", "\"temperature\":0.7"),
                "max-age=300");
        assertEquals("llm-proxy; fwd=bypass; detail=not-deterministic", cacheStatus(sampled));
        HttpResponse<String> streamed = ask(tokenA, DETERMINISTIC.replace("{\"model\"", "{\"stream\":true,\"model\""),
                "max-age=300");
        assertEquals(200, streamed.statusCode());
        assertEquals("llm-proxy; fwd=bypass; detail=not-deterministic", cacheStatus(streamed));
        assertEquals(7, seen("cache"));

        // Recorded as a hit that cost nothing, next to the calls that went upstream.
        String hitId = again.headers().firstValue("x-llm-proxy-request-id").orElseThrow();
        String missId = first.headers().firstValue("x-llm-proxy-request-id").orElseThrow();
        awaitCount("SELECT COUNT(*) FROM request_records WHERE request_id = '" + hitId + "' AND cache_hit = TRUE"
                + " AND cost_micros = 0 AND total_tokens = 0 AND attempts = 0 AND status = 200", 1);
        awaitCount("SELECT COUNT(*) FROM request_records WHERE request_id = '" + missId + "' AND cache_hit = FALSE"
                + " AND total_tokens > 0 AND attempts = 1 AND upstream = 'default'", 1);
        var listed = admin().get("/manage/usage/requests?project_id=" + a).json().path("items");
        assertTrue(listed.toString().contains("\"cache_hit\":true"), listed.toString());
    }

    @Test
    default void hitsTakeNothingFromRateLimitsAndFailuresAreNeverStored() throws Exception {
        String project = cachedProject("cache-rpm", "cacherpm");
        assertEquals(200, ask(token(project, ""), DETERMINISTIC, "max-age=300").statusCode());
        String limited = token(project, ",\"rpm_limit\":1");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> hit = ask(limited, DETERMINISTIC, "max-age=300");
            assertEquals(200, hit.statusCode(), "hit " + i + ": " + hit.body());
            assertTrue(cacheStatus(hit).contains("hit"), cacheStatus(hit));
        }
        assertEquals(200, ask(limited, DETERMINISTIC, "no-cache").statusCode(), "the one request of the minute");
        HttpResponse<String> over = ask(limited, DETERMINISTIC, "no-cache");
        assertEquals(429, over.statusCode(), over.body());

        String failing = cachedProject("cache-fail", "fail500cache");
        String token = token(failing, "");
        HttpResponse<String> failed = ask(token, DETERMINISTIC, "max-age=300");
        assertEquals(500, failed.statusCode(), failed.body());
        assertEquals("llm-proxy; fwd=miss; fwd-status=500", cacheStatus(failed));
        int before = seen("fail500cache");
        HttpResponse<String> failedAgain = ask(token, DETERMINISTIC, "max-age=300");
        assertEquals(500, failedAgain.statusCode());
        assertTrue(seen("fail500cache") > before, "a failed answer is not served from the cache");
    }

    @Test
    default void purgeAndSwitchingOffAreAuditedAndTakeEffect() throws Exception {
        String project = cachedProject("cache-purge", "cachepurge");
        String token = token(project, "");
        ask(token, DETERMINISTIC, "max-age=300");
        assertTrue(cacheStatus(ask(token, DETERMINISTIC, "max-age=300")).contains("hit"));
        assertTrue(admin().get("/manage/cache").json().path("entries").asLong() >= 1);

        Http.Response purged = admin().post("/manage/cache/purge", "{\"project_id\":\"" + project + "\"}");
        assertEquals(200, purged.status(), purged.body());
        assertEquals(1, purged.json().path("purged_projects").asInt());
        assertEquals(1, purged.json().path("entries_removed_here").asInt(), purged.body());
        assertEquals("llm-proxy; fwd=miss; stored", cacheStatus(ask(token, DETERMINISTIC, "max-age=300")));
        assertTrue(cacheStatus(ask(token, DETERMINISTIC, "max-age=300")).contains("hit"), "kept before it was sent");

        Http.Response all = admin().post("/manage/cache/purge", "{}");
        assertEquals(200, all.status(), all.body());
        assertTrue(all.json().path("purged_projects").asInt() >= 1);
        assertEquals("llm-proxy; fwd=miss; stored", cacheStatus(ask(token, DETERMINISTIC, "max-age=300")));
        assertEquals(404, admin().post("/manage/cache/purge", "{\"project_id\":\"no-such-project\"}").status());
        assertEquals("project_id", admin().post("/manage/cache/purge", "{\"project_id\":5}").json().path("field")
                .asText());

        Http.Response off = admin().patch("/manage/projects/" + project, "{\"cache_ttl_seconds\":null}");
        assertEquals(200, off.status(), off.body());
        assertTrue(off.json().path("cache_ttl_seconds").isNull());
        assertEquals("llm-proxy; fwd=bypass; detail=project-cache-off",
                cacheStatus(ask(token, DETERMINISTIC, "max-age=300")));
        Http.Response invalid = admin().patch("/manage/projects/" + project, "{\"cache_ttl_seconds\":0}");
        assertEquals(400, invalid.status());
        assertEquals("cache_ttl_seconds", invalid.json().path("field").asText());

        String actions = admin().get("/manage/audit?target_id=" + project).json().path("items").toString();
        assertTrue(actions.contains("cache.purged"), actions);
        assertTrue(actions.contains("project.cache_changed"), actions);
    }
}
