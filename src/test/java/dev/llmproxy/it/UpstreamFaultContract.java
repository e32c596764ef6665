package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider fails (#14): refused, reset before its headers, silent before its first byte or in the middle of a
 * stream, a stream cut, a 5xx, a 429 with Retry-After, a malformed body, a body far larger than any completion. Each
 * call gets the documented answer (the proxy's error in its API's shape, or the provider's own answer relayed), and
 * exactly one record with the status and attempts it really had; a POST is sent again only when the provider cannot
 * have processed it, unless its project allows more ({@code retry_unsafe}). Wire faults come from a
 * {@link FaultServer}, the others from the {@link MockProvider}'s labelled upstreams.
 */
interface UpstreamFaultContract extends Contract {

    private String label(String label) {
        return label + "-" + db().kind();
    }

    private String mockUrl(String label) {
        return mock().baseUrl() + "/u/" + label(label);
    }

    private int seen(String label, String path) {
        return mock().receivedOn("/u/" + label(label) + path).size();
    }

    /** A project on {@code primaryUrl} with an upstream {@code backup} (priority 10) on the mock's healthy API. */
    private String withBackup(String name, String provider, String primaryUrl, String backupLabel) {
        String key = provider.equals("anthropic") ? MockProvider.ANTHROPIC_KEY : MockProvider.OPENAI_KEY;
        String project = project(name + "-" + db().kind(), provider, primaryUrl, key);
        Http.Response added = admin().post("/manage/projects/" + project + "/upstreams", "{\"name\":\"backup\","
                + "\"provider\":\"" + (provider.equals("anthropic") ? "anthropic" : "openai-compatible")
                + "\",\"base_url\":\"" + mockUrl(backupLabel) + "\",\"api_key\":\"" + key + "\",\"priority\":10}");
        assertEquals(201, added.status(), added.body());
        return project;
    }

    private void allowUnsafeRetries(String project) {
        Http.Response patched = admin().patch("/manage/projects/" + project, "{\"retry_unsafe\":true}");
        assertEquals(200, patched.status(), patched.body());
        assertTrue(patched.json().path("retry_unsafe").asBoolean(), patched.body());
    }

    private HttpRequest.Builder messages(String token, boolean stream) {
        return request(token, "/v1/messages").header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString("{\"model\":"
                        + "\"claude-mock\",\"max_tokens\":32,\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}"));
    }

    /**
     * The one record of the token's one call, as "status attempts error_code", once it is written; fails if there
     * is not exactly one. Prints the fault's figures for the issue's note.
     */
    private String onlyRecord(String fault, Issued token, int callsAtTheProvider) throws Exception {
        awaitCount(token.recordsQuery(), 1);
        try (Connection c = db().connect(); PreparedStatement s = c.prepareStatement("SELECT status, attempts,"
                + " error_code FROM request_records WHERE token_id = ?")) {
            s.setString(1, token.id());
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                String record = rs.getInt(1) + " " + rs.getInt(2) + " " + rs.getString(3);
                assertFalse(rs.next(), "exactly one record");
                System.out.printf("[fault] %s on %s, %s: 1 call, %d at the provider, 1 record: %s%n", server().name(),
                        db().kind(), fault, callsAtTheProvider, record);
                return record;
            }
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, JSON.readTree(r.body()).path("error").path("code").asText(), r.body());
    }

    private static String attempts(HttpResponse<?> r) {
        return r.headers().firstValue("x-llm-proxy-attempts").orElse("");
    }

    /** The token's request_count, which max_requests caps. */
    private long requestCount(Issued token) {
        return admin().get("/manage/tokens/" + token.id()).json().path("request_count").asLong();
    }

    @Test
    default void aRefusedConnectionIsRetriedAndFailsOverAndCountsAsOneRequestThatCostNothing() throws Exception {
        Http.Response price = admin().put("/manage/prices/gpt-mock", "{\"input_per_mtok_usd\":2.5,"
                + "\"cached_input_per_mtok_usd\":1.25,\"output_per_mtok_usd\":10}");
        assertEquals(200, price.status(), price.body());
        String refused = "http://127.0.0.1:" + FreePorts.any();
        String alone = project("refused-" + db().kind(), "openai", refused, MockProvider.OPENAI_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + alone, "{\"budget_usd\":1,\"budget_period\":\"daily\"}")
                .status());
        Issued token = issue(alone, ",\"max_requests\":5");
        HttpResponse<String> failed = call(chat(token.token(), "gpt-mock", false));
        assertError(failed, 502, "upstream_unavailable");
        assertEquals("api_error", JSON.readTree(failed.body()).path("error").path("type").asText());
        assertEquals("2", attempts(failed), "nothing reached the provider: retried once");
        assertEquals("502 2 upstream_unavailable", onlyRecord("refused", token, 0));
        assertEquals(1, requestCount(token), "one call, one request against max_requests, whatever its attempts");
        long[] ledger = Poll.until(java.time.Duration.ofSeconds(5), "the reservation settled",
                () -> ledger("project", alone), l -> l[1] == 0);
        assertEquals(0, ledger[0], "a call no provider answered costs nothing");

        String failingOver = withBackup("refused-backup", "openai", refused, "refused-backup");
        Issued second = issue(failingOver, "");
        HttpResponse<String> answered = call(chat(second.token(), "gpt-mock", false));
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals("backup", answered.headers().firstValue("x-llm-proxy-upstream").orElse(""));
        assertEquals("3", attempts(answered));
        assertEquals("200 3 null", onlyRecord("refused, with a backup", second, 1));
    }

    @Test
    default void aResetBeforeTheHeadersIsNotRetriedForAPostUnlessTheProjectAllowsIt() throws Exception {
        try (FaultServer faults = new FaultServer()) {
            String project = withBackup("reset", "openai", faults.baseUrl("reset"), "reset-backup");
            Issued token = issue(project, "");
            HttpResponse<String> failed = call(chat(token.token(), "gpt-mock", false));
            assertError(failed, 502, "upstream_unavailable");
            assertEquals("1", attempts(failed));
            assertEquals(1, faults.count("reset"), "the provider had the whole request: it may have billed it");
            assertEquals(0, seen("reset-backup", "/v1/chat/completions"), "nor sent to the next upstream");
            assertEquals("502 1 upstream_unavailable", onlyRecord("reset before headers", token, 1));

            HttpResponse<String> listed = call(get(token.token(), "/v1/models"));
            assertEquals(200, listed.statusCode(), "a GET is idempotent: retried, then the backup answers");
            assertEquals("3", attempts(listed));
            assertEquals(3, faults.count("reset"));

            allowUnsafeRetries(project);
            Issued allowed = issue(project, "");
            HttpResponse<String> retried = call(chat(allowed.token(), "gpt-mock", false));
            assertEquals(200, retried.statusCode(), retried.body());
            assertEquals("3", attempts(retried), "retry_unsafe: retried and failed over");
            assertEquals(5, faults.count("reset"));
            assertEquals("200 3 null", onlyRecord("reset before headers, retry_unsafe", allowed, 2));
            Http.Response back = admin().patch("/manage/projects/" + project, "{\"retry_unsafe\":null}");
            assertTrue(back.json().has("retry_unsafe") && back.json().path("retry_unsafe").isNull(), back.body());
        }
    }

    @Test
    default void aStallBeforeTheFirstByteIsA504AfterTheResponseTimeoutWithoutARetry() throws Exception {
        Http.Response created = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("stall-first")
                + "\",\"provider\":\"openai\",\"base_url\":\"" + mock().baseUrl() + "\",\"api_key\":\""
                + MockProvider.OPENAI_KEY + "\",\"retry_unsafe\":false}");
        assertEquals(201, created.status(), created.body());
        assertFalse(created.json().path("retry_unsafe").asBoolean(true), "set on create: " + created.body());
        String project = created.json().path("id").asText();
        assertEquals(201, admin().post("/manage/projects/" + project + "/upstreams", "{\"name\":\"backup\","
                + "\"provider\":\"openai\",\"base_url\":\"" + mockUrl("stall-first-backup") + "\",\"api_key\":\""
                + MockProvider.OPENAI_KEY + "\",\"priority\":10}").status());
        Issued token = issue(project, "");
        long started = System.nanoTime();
        HttpResponse<String> timedOut = call(chat(token.token(), "mock-slow", false));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertError(timedOut, 504, "upstream_timeout");
        assertEquals("1", attempts(timedOut));
        assertTrue(tookMs >= 2_900 && tookMs < 6_000, "one response timeout of 3 s, took " + tookMs + " ms");
        assertEquals(0, seen("stall-first-backup", "/v1/chat/completions"), "the provider may still be answering it");
        assertEquals("504 1 upstream_timeout", onlyRecord("stall before the first byte", token, 1));
    }

    @Test
    default void aStallMidStreamEndsTheStreamWithAnErrorEventAfterTheIdleTimeout() throws Exception {
        Issued token = issue(openAiProject("stall-mid"), "");
        HttpResponse<String> stalled = call(chat(token.token(), "mock-stall", true));
        assertEquals(200, stalled.statusCode());
        assertTrue(stalled.body().contains("\"content\":\"\""), "the first event was relayed: " + stalled.body());
        assertFalse(stalled.body().contains("[DONE]"));
        String last = lastData(stalled.body());
        assertEquals("upstream_timeout", JSON.readTree(last).path("error").path("code").asText(), stalled.body());
        assertEquals("200 1 upstream_timeout", onlyRecord("stall mid-stream", token, 1));
    }

    @Test
    default void aStreamCutMidwayEndsWithAnErrorEventInItsApisShapeAndIsNotReplayed() throws Exception {
        try (FaultServer faults = new FaultServer()) {
            String openAi = withBackup("cut", "openai", faults.baseUrl("cut"), "cut-backup");
            allowUnsafeRetries(openAi); // even so: a stream that began is never sent again
            Issued token = issue(openAi, "");
            HttpResponse<String> cut = call(chat(token.token(), "gpt-mock", true));
            assertEquals(200, cut.statusCode());
            assertTrue(cut.body().contains("\"content\":\"half\""), cut.body());
            JsonNode error = JSON.readTree(lastData(cut.body())).path("error");
            assertEquals("upstream_unavailable", error.path("code").asText(), cut.body());
            assertEquals("api_error", error.path("type").asText());
            assertEquals(1, faults.count("cut"));
            assertEquals(0, seen("cut-backup", "/v1/chat/completions"));
            assertEquals("200 1 upstream_unavailable", onlyRecord("stream cut (OpenAI)", token, 1));

            String anthropic = withBackup("cut-anthropic", "anthropic", faults.baseUrl("cut"), "cut-anthropic-backup");
            Issued claude = issue(anthropic, "");
            HttpResponse<String> cutMessages = call(messages(claude.token(), true));
            assertEquals(200, cutMessages.statusCode());
            assertTrue(cutMessages.body().contains("\"text\":\"half\""), cutMessages.body());
            assertTrue(cutMessages.body().contains("event: error\ndata: "), cutMessages.body());
            JsonNode event = JSON.readTree(lastData(cutMessages.body()));
            assertEquals("error", event.path("type").asText(), "Anthropic's error event: " + cutMessages.body());
            assertEquals("api_error", event.path("error").path("type").asText());
            assertEquals("upstream_unavailable", event.path("error").path("code").asText());
            assertEquals(2, faults.count("cut"));
            assertEquals("200 1 upstream_unavailable", onlyRecord("stream cut (Anthropic)", claude, 1));
        }
    }

    @Test
    default void aProviders5xxIsPassedOnAtOnceButA503Or529FailsOver() throws Exception {
        String failing = withBackup("fault500", "openai", mockUrl("fail500fault"), "fault500-backup");
        Issued token = issue(failing, "");
        HttpResponse<String> failed = call(chat(token.token(), "gpt-mock", false));
        assertEquals(500, failed.statusCode(), "the provider's own answer");
        assertTrue(failed.body().contains("upstream fail500fault-" + db().kind() + " failed"), failed.body());
        assertEquals("1", attempts(failed), "a 500 may have been processed: not sent again");
        assertEquals(0, seen("fault500-backup", "/v1/chat/completions"));
        assertEquals("500 1 null", onlyRecord("500", token, 1));

        String claude500 = withBackup("fault500-anthropic", "anthropic", mockUrl("fail500faultA"), "fault500A-backup");
        Issued claudeToken = issue(claude500, "");
        HttpResponse<String> failedMessages = call(messages(claudeToken.token(), false));
        assertEquals(500, failedMessages.statusCode());
        assertEquals("1", attempts(failedMessages));
        assertEquals("500 1 null", onlyRecord("500 (Anthropic)", claudeToken, 1));

        String overloaded = withBackup("fault503", "openai", mockUrl("fail503fault"), "fault503-backup");
        Issued overloadedToken = issue(overloaded, "");
        HttpResponse<String> failedOver = call(chat(overloadedToken.token(), "gpt-mock", false));
        assertEquals(200, failedOver.statusCode(), failedOver.body());
        assertEquals("3", attempts(failedOver), "a 503 was not processed: retried, then the backup");
        assertEquals(2, seen("fail503fault", "/v1/chat/completions"));
        assertEquals("200 3 null", onlyRecord("503", overloadedToken, 3));

        String claude529 = withBackup("fault529", "anthropic", mockUrl("fail529fault"), "fault529-backup");
        Issued claude529Token = issue(claude529, "");
        HttpResponse<String> claudeFailedOver = call(messages(claude529Token.token(), false));
        assertEquals(200, claudeFailedOver.statusCode(), claudeFailedOver.body());
        assertEquals("3", attempts(claudeFailedOver), "Anthropic's 529 overloaded_error was not processed");
        assertEquals("200 3 null", onlyRecord("529 (Anthropic)", claude529Token, 3));
    }

    @Test
    default void a429WithRetryAfterIsRetriedAfterItsWaitThenPassedOnWithIt() throws Exception {
        Issued token = issue(project("fault429-" + db().kind(), "openai", mockUrl("fail429fault"),
                MockProvider.OPENAI_KEY), "");
        long started = System.nanoTime();
        HttpResponse<String> limited = call(chat(token.token(), "gpt-mock", false));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("rate_limit_exceeded", JSON.readTree(limited.body()).path("error").path("code").asText());
        assertEquals("1", limited.headers().firstValue("retry-after").orElse(""), "the provider's Retry-After");
        assertEquals("2", attempts(limited));
        assertTrue(tookMs >= 950, "the retry waited for Retry-After: 1; took " + tookMs + " ms");
        assertEquals("429 2 null", onlyRecord("429 with Retry-After", token, 2));

        Issued claude = issue(project("fault429-anthropic-" + db().kind(), "anthropic", mockUrl("fail429faultA"),
                MockProvider.ANTHROPIC_KEY), "");
        HttpResponse<String> limitedMessages = call(messages(claude.token(), false));
        assertEquals(429, limitedMessages.statusCode());
        assertEquals("2", attempts(limitedMessages));
        assertEquals("429 2 null", onlyRecord("429 with Retry-After (Anthropic)", claude, 2));
    }

    @Test
    default void aMalformedBodyIsRelayedAsItCameAndItsUsageEstimated() throws Exception {
        Issued token = issue(project("malformed-" + db().kind(), "openai", mockUrl("malformed"),
                MockProvider.OPENAI_KEY), "");
        HttpResponse<String> r = call(chat(token.token(), "gpt-mock", false));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().endsWith("\"content\":\"unterminated"), "passed on as the provider sent it: " + r.body());
        assertEquals("200 1 null", onlyRecord("malformed body", token, 1));
        assertEquals(1, db().count("SELECT COUNT(*) FROM request_records WHERE token_id = '" + token.id()
                + "' AND tokens_estimated = " + (db().kind().equals("sqlite") ? "1" : "TRUE")));
    }

    @Test
    default void aBodyFarLargerThanAnyCompletionIsStreamedThroughWhole() throws Exception {
        Issued token = issue(project("huge-" + db().kind(), "openai", mockUrl("huge"), MockProvider.OPENAI_KEY), "");
        HttpResponse<InputStream> r = http().send(chat(token.token(), "gpt-mock", false).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long bytes;
        try (InputStream body = r.body()) {
            bytes = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(MockProvider.HUGE_BODY_BYTES, bytes, "every byte relayed");
        assertEquals("200 1 null", onlyRecord("body of " + (MockProvider.HUGE_BODY_BYTES >> 20) + " MiB", token, 1));
        assertEquals(1, db().count("SELECT COUNT(*) FROM request_records WHERE token_id = '" + token.id()
                + "' AND completion_tokens = 9"), "the provider's usage at its end was read");
    }

    @Test
    default void aCallerLeavingMidStreamEndsTheUpstreamCallWithinOneSecondAtTheProvider() throws Exception {
        Issued token = issue(openAiProject("leaves"), "");
        mock().endlessBroken = new CountDownLatch(1);
        HttpResponse<InputStream> response = http().send(chat(token.token(), "mock-endless", true).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        for (int events = 0; events < 3; ) { // the stream is flowing
            String line = reader.readLine();
            assertTrue(line != null, "the stream ended early");
            if (line.startsWith("data: ")) {
                events++;
            }
        }
        long left = System.nanoTime();
        body.close();
        assertTrue(mock().endlessBroken.await(10, TimeUnit.SECONDS), "the provider kept streaming");
        long intervalMs = TimeUnit.NANOSECONDS.toMillis(mock().endlessBrokenNanos - left);
        System.out.printf("[fault] %s on %s, caller left mid-stream: the provider's write failed %d ms later%n",
                server().name(), db().kind(), intervalMs);
        assertTrue(intervalMs <= 1_000, "the upstream call ended " + intervalMs + " ms after the caller left");
        Poll.until(java.time.Duration.ofSeconds(5), "the call recorded", () -> db().count(token.recordsQuery()),
                n -> n == 1);
        assertEquals(1, db().count(token.recordsQuery() + " AND status = 499 AND error_code = 'client_disconnected'"));
    }

    /** The data of a stream's last event. */
    private static String lastData(String stream) {
        String last = null;
        for (String line : stream.split("\n")) {
            if (line.startsWith("data: ")) {
                last = line.substring(6);
            }
        }
        return last;
    }
}
