package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Budgets (#5): the estimated cost is reserved before a call and the actual cost settled after, so concurrent calls
 * overrun a budget by at most one call's estimate. Costs: gpt-mock at 2.50 / 1.25 cached / 10.00 USD per million
 * tokens; each mock answer costs 68 micro-USD (see UsageContract); with max_tokens 64 a call's estimate is the
 * priced prompt estimate plus 64 x 10 = 640 micro-USD.
 */
interface BudgetContract extends Contract {
    long ACTUAL = 68;
    long MAX_ESTIMATE = 700;

    @Test
    default void concurrentCallsOverrunAProjectBudgetByAtMostOneEstimate() throws Exception {
        putMockPrice();
        String project = project("budget-" + db().kind(), "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
        Http.Response patched = admin().patch("/manage/projects/" + project, "{\"budget_usd\":0.002,\"budget_period\":\"daily\"}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals("0.002", patched.json().path("budget_usd").asText());
        String token = token(project, "");

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(http().sendAsync(capped(token).build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join(); // all ended before anything is asserted
        int admitted = 0;
        int refused = 0;
        for (var c : calls) {
            HttpResponse<String> r = c.join();
            if (r.statusCode() == 200) {
                admitted++;
            } else {
                assertEquals(429, r.statusCode(), r.body());
                var error = JSON.readTree(r.body()).path("error");
                assertEquals("budget_exceeded", error.path("code").asText());
                assertEquals("rate_limit_error", error.path("type").asText());
                refused++;
            }
        }
        long[] ledger = awaitSettled("project", project);
        System.out.printf("[budget] %s on %s: %d admitted, %d refused, spent %d of 2000 micro-USD%n", server().name(),
                db().kind(), admitted, refused, ledger[0]);
        assertTrue(admitted >= 1 && refused >= 1, admitted + " admitted, " + refused + " refused");
        assertEquals(0, ledger[1], "every reservation was settled");
        assertEquals(admitted * ACTUAL, ledger[0], "the ledger holds the actual costs");
        assertTrue(ledger[0] <= 2000 + MAX_ESTIMATE, "overrun by at most one call's estimate: spent " + ledger[0]);
    }

    @Test
    default void aTokenBudgetStopsTheTokenWhenSpent() throws Exception {
        putMockPrice();
        Http.Response issued = admin().post("/manage/tokens", "{\"project_id\":\"" + openAiProject("token-budget") + "\","
                + "\"duration_minutes\":60,\"budget_usd\":0.0001,\"budget_period\":\"total\"}");
        assertEquals(201, issued.status(), issued.body());
        assertEquals("total", issued.json().path("budget_period").asText());
        String token = issued.json().path("token").asText();
        String tokenId = issued.json().path("id").asText();
        // 0 and 68 spent are below 100: two calls pass; at 136 the budget is spent
        assertEquals(200, call(capped(token)).statusCode());
        awaitSettled("token", tokenId);
        assertEquals(200, call(capped(token)).statusCode());
        awaitSettled("token", tokenId);
        HttpResponse<String> third = call(capped(token));
        assertEquals(429, third.statusCode(), third.body());
        assertEquals("budget_exceeded", JSON.readTree(third.body()).path("error").path("code").asText());
        assertEquals(136, awaitSettled("token", tokenId)[0]);
        assertEquals("budget_usd", admin().patch("/manage/tokens/" + issued.json().path("id").asText(),
                "{\"budget_period\":\"weekly\"}").json().path("field").asText());
    }

    private java.net.http.HttpRequest.Builder capped(String token) {
        return post(token, "/v1/chat/completions", ("{\"model\":\"gpt-mock\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8));
    }

    /** gpt-mock's price, as the costs above are worked out with. */
    private void putMockPrice() {
        Http.Response r = admin().put("/manage/prices/gpt-mock", "{\"input_per_mtok_usd\":2.5,"
                + "\"cached_input_per_mtok_usd\":1.25,\"output_per_mtok_usd\":10}");
        assertEquals(200, r.status(), r.body());
    }

    /**
     * A call is settled as its exchange ends, a moment after the client has read the last byte: waits up to 5 s
     * for every reservation of the scope to be settled; returns {spent, reserved}.
     */
    private long[] awaitSettled(String scope, String id) throws Exception {
        return Poll.until(Duration.ofSeconds(5), "every reservation of " + scope + " " + id + " settled",
                () -> ledger(scope, id), ledger -> ledger[1] == 0);
    }
}
