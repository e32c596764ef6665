package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * What a hostile caller sends (#13), against the deployed WAR: values no column holds, bodies the proxy cannot read,
 * bodies declared and never sent, floods of guessed tokens, headers meant for one hop, streams framed oddly. Each
 * test names the finding it covers.
 */
interface HostileInputContract extends Contract {

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http().send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long recordsOfToken(String tokenId) {
        return db().count("SELECT COUNT(*) FROM request_records WHERE token_id = '" + tokenId + "'");
    }

    /** Finding 1: one request with a method, model or NUL no column holds stopped all recording on PostgreSQL. */
    @Test
    default void valuesNoColumnHoldsAreRecordedClampedAndRecordingGoesOn() throws Exception {
        String project = openAiProject("poison");
        Issued issued = issue(project, "");
        String token = issued.token();
        String tokenId = issued.id();
        HttpResponse<String> longMethod = send(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models"))
                .method("ABCDEFGHIJKLMNOPQRSTUVWXYZ", HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, longMethod.statusCode(), longMethod.body());
        String longModel = "m".repeat(300);
        assertEquals(200, call(chat(token, longModel, false)).statusCode());
        byte[] nul = "{\"model\":\"gpt\\u0000mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(200, call(post(token, "/v1/chat/completions", nul)).statusCode());
        assertEquals(200, call(chat(token, "gpt-mock", false)).statusCode(), "and a normal call after them");

        awaitCount("SELECT COUNT(*) FROM request_records WHERE token_id = '" + tokenId + "'", 3);
        Poll.until(Duration.ofSeconds(5), "the long method's record", () -> db().count(
                "SELECT COUNT(*) FROM request_records WHERE method = 'ABCDEFGHIJ'"), n -> n >= 1);
        assertEquals(java.util.Set.of("gpt?mock", "gpt-mock", "m".repeat(200)), java.util.Set.copyOf(db().strings(
                "SELECT model FROM request_records WHERE token_id = '" + tokenId + "'")),
                "clamped where the record is made");
        JsonNode ready = admin().get("/health/ready").json();
        assertEquals(0, ready.path("records").path("rejected").asLong(), ready.toString());
        assertTrue(ready.path("records").path("queued").asLong() < 100, "the writer keeps up: " + ready);
    }

    /** Finding 2: with an allowlist, bodies the proxy could not parse reached the provider unchecked. */
    @Test
    default void anAllowlistFailsClosedOnBodiesTheProxyCannotRead() throws Exception {
        String project = openAiProject("fail-closed");
        assertEquals(200, admin().patch("/manage/projects/" + project, "{\"allowed_models\":[\"gpt-mock\"]}").status());
        String token = token(project, "");
        int before = mock().receivedOn("/v1/chat/completions").size();

        byte[] hugeNumber = ("{\"model\":\"gpt-4.1\",\"temperature\":" + "1".repeat(1_001) + ",\"messages\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        assertError(call(post(token, "/v1/chat/completions", hugeNumber)), 400, "unreadable_body");
        assertError(call(request(token, "/v1/chat/completions").header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(new String(chat("gpt-4.1"), StandardCharsets.UTF_8)))),
                400, "unreadable_body");
        assertError(call(request(token, "/v1/chat/completions").header("content-type", "application/json")
                .header("content-encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzip(chat("gpt-4.1"))))),
                403, "model_not_allowed");
        assertError(call(request(token, "/v1/chat/completions").header("content-type", "application/json")
                .header("content-encoding", "br").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2}))),
                415, "unsupported_content_encoding");
        assertEquals(before, mock().receivedOn("/v1/chat/completions").size(), "nothing reached the provider");

        HttpResponse<String> allowed = call(request(token, "/v1/chat/completions")
                .header("content-type", "application/json").header("content-encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(chat("gpt-mock")))));
        assertEquals(200, allowed.statusCode(), allowed.body());
        MockProvider.Received got = mock().receivedOn("/v1/chat/completions").get(before);
        assertTrue(got.body().contains("\"gpt-mock\""), "the provider got the decoded body: " + got.body());
        assertNull(got.header("content-encoding"), "and no Content-Encoding for it");
    }

    /** Finding 3: the body reader allocated the declared length before a byte arrived. */
    @Test
    default void callersThatDeclareBigBodiesAndSendNothingHoldNoMemory() throws Exception {
        String project = openAiProject("declared");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(token(project, "")); // 200 calls each: under max-concurrent-calls-per-token
        }
        String context = server().baseUrl().substring(server().baseUrl().indexOf('/', 8));
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                RawHttp connection = new RawHttp(server().baseUrl());
                idle.add(connection);
                connection.head("POST", context + "/v1/chat/completions", "Authorization: Bearer " + tokens.get(i % 10),
                        "Content-Type: application/json", "Content-Length: " + Deployment.BODY_LIMIT);
            }
            // 2,000 x 1 MiB declared is four times the container's heap: the old reader would have held it all
            long started = System.nanoTime();
            HttpResponse<String> served = call(chat(token(project, ""), "gpt-mock", false));
            assertEquals(200, served.statusCode(), "another caller is served while they wait");
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "and promptly");
            String metrics = metrics();
            assertTrue(gauge(metrics, "llmproxy_request_body_bytes") < 1024 * 1024,
                    "no body memory held for bytes never sent:\n" + metrics.lines()
                            .filter(l -> l.startsWith("llmproxy_request_body")).toList());
        } finally {
            for (RawHttp connection : idle) {
                connection.close();
            }
        }
        assertEquals(200, call(chat(token(project, ""), "gpt-mock", false)).statusCode());
    }

    /** Finding 3: limits applied only once a body was read, and a body could take forever to arrive. */
    @Test
    default void aTokensCallsAreBoundedAndADribbledBodyTimesOut() throws Exception {
        String project = openAiProject("bounded");
        String token = token(project, "");
        String context = server().baseUrl().substring(server().baseUrl().indexOf('/', 8));
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < Deployment.MAX_CALLS_PER_TOKEN; i++) {
                RawHttp connection = new RawHttp(server().baseUrl());
                held.add(connection);
                connection.head("POST", context + "/v1/chat/completions", "Authorization: Bearer " + token,
                        "Content-Type: application/json", "Content-Length: 100");
            }
            // the heads are sent; wait until the server runs them all, or a call made now would race the last ones
            Poll.until(Duration.ofSeconds(5), "the held calls all running",
                    () -> gauge(metrics(), "llmproxy_calls_in_flight"), n -> n >= Deployment.MAX_CALLS_PER_TOKEN);
            HttpResponse<String> next = call(chat(token, "gpt-mock", false));
            assertError(next, 429, "too_many_concurrent_calls");
            assertTrue(next.headers().firstValue("retry-after").isPresent());
            assertEquals(200, call(chat(token(project, ""), "gpt-mock", false)).statusCode(),
                    "another token of the project is served");
        } finally {
            for (RawHttp connection : held) {
                connection.close();
            }
        }
        Poll.until(Duration.ofSeconds(Deployment.REQUEST_BODY_TIMEOUT_MS / 1000 + 10), "the token's calls given back",
                () -> call(chat(token, "gpt-mock", false)).statusCode(), s -> s == 200);

        long started = System.nanoTime();
        RawHttp.Response answer;
        try (RawHttp slow = new RawHttp(server().baseUrl())) {
            slow.head("POST", context + "/v1/chat/completions", "Authorization: Bearer " + token,
                    "Content-Type: application/json", "Content-Length: 100");
            slow.body("{\"model\":".getBytes(StandardCharsets.UTF_8)); // and no more
            answer = slow.read();
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals(408, answer.status(), answer.body());
        assertTrue(answer.body().contains("\"request_body_timeout\""), answer.body());
        assertTrue(tookMs >= Deployment.REQUEST_BODY_TIMEOUT_MS - 500 && tookMs < Deployment.REQUEST_BODY_TIMEOUT_MS
                + 5_000, "refused when the body's time is up: " + tookMs + " ms");
    }

    /** Finding 4: each distinct guess cost a query; failed authentications were not limited per address. */
    @Test
    default void anAddressThatGuessesTokensIsCutOffBeforeAnyLookup() throws Exception {
        String guesser = "203.0.113." + (1 + new SecureRandom().nextInt(250));
        int limit = Deployment.FAILED_AUTH_PER_MINUTE;
        int failed = 0;
        HttpResponse<String> cutOff = send(guess(guesser));
        while (cutOff.statusCode() == 401 && failed < limit + 20) { // the allowance refills a little as they go
            failed++;
            cutOff = send(guess(guesser));
        }
        assertTrue(failed >= limit, "cut off only after its allowance: " + failed);
        assertError(cutOff, 429, "too_many_failed_authentications");
        assertTrue(cutOff.headers().firstValue("retry-after").isPresent());

        String before = metrics();
        long started = System.nanoTime();
        int lookedUp = 0; // the allowance refills at limit a minute: a guess now and then is let through to a lookup
        for (int i = 0; i < 200; i++) {
            int status = send(guess(guesser)).statusCode();
            assertTrue(status == 429 || status == 401, "cut off or, as the allowance refills, refused: " + status);
            lookedUp += status == 401 ? 1 : 0;
        }
        double refilled = (System.nanoTime() - started) / 60e9 * limit;
        String after = metrics();
        assertTrue(lookedUp <= 1 + refilled, lookedUp + " guesses got through; the refill allows " + refilled);
        String missSeries = "cache_gets_total{cache=\"token_checks\",result=\"miss\"}";
        assertTrue(after.contains(missSeries + " "), "the token-check cache counts its misses");
        double misses = counter(after, missSeries) - counter(before, missSeries);
        // a guess that is looked up misses the cache twice (asked from memory first, then loaded)
        assertTrue(misses <= 2 * lookedUp, "no token was looked up for an address that is cut off, but for the "
                + lookedUp + " guesses the refill let through: " + misses + " misses");
        assertEquals(200, call(chat(token(openAiProject("after-guessing"), ""), "gpt-mock", false)).statusCode(),
                "other callers are not affected");

        Http manage = admin().withBearer("wrong-management-token-0123456789");
        String adminGuesser = "198.51.100." + (1 + new SecureRandom().nextInt(250));
        Http fromGuesser = manage.withHeader("X-Forwarded-For", adminGuesser);
        int tries = 0;
        Http.Response answer = fromGuesser.get("/manage/projects");
        while (answer.status() == 401 && tries < limit + 20) {
            tries++;
            answer = fromGuesser.get("/manage/projects");
        }
        assertEquals(429, answer.status(), answer.body());
        assertEquals("too_many_failed_authentications", answer.json().path("code").asText());
        assertTrue(tries >= limit, "the admin API cuts off after the same allowance: " + tries);
    }

    /** Finding 5 (smaller): headers named in Connection were forwarded; the provider's own identifiers relayed. */
    @Test
    default void headersForOneHopAndTheProvidersOwnStayBehind() throws Exception {
        String project = project("leaky", "openai", mock().baseUrl() + "/u/leaky-" + db().kind(), MockProvider.OPENAI_KEY);
        String token = token(project, "");
        int before = mock().received.size();
        RawHttp.Response answer;
        try (RawHttp connection = new RawHttp(server().baseUrl())) { // the JDK client will not send a Connection header
            byte[] body = chat("gpt-mock");
            connection.head("POST", server().baseUrl().substring(server().baseUrl().indexOf('/', 8))
                    + "/v1/chat/completions", "Authorization: Bearer " + token, "Content-Type: application/json",
                    "Content-Length: " + body.length, "X-Hop-Secret: for-the-proxy-only", "Connection: X-Hop-Secret");
            connection.body(body);
            answer = connection.read();
        }
        assertEquals(200, answer.status(), answer.body());
        for (String name : List.of("openai-organization", "openai-project", "anthropic-organization-id",
                "access-control-allow-origin", "access-control-expose-headers", "x-backend-node")) {
            assertFalse(answer.headers().containsKey(name), name + " is not relayed: " + answer.headers());
        }
        assertEquals("req_leaky", answer.headers().get("x-request-id"), "the rest is");
        MockProvider.Received got = new ArrayList<>(mock().received).get(before);
        assertNull(got.header("x-hop-secret"), "a header the Connection header names stays on its hop");
    }

    /** Finding 6 (smaller): CR-only line endings were not framed; an incomplete event was held without bound. */
    @Test
    default void streamsFramedWithCrAloneOrWithHugeEventsArriveWhole() throws Exception {
        Issued cr = issue(project("crsse", "openai", mock().baseUrl() + "/u/crsse-" + db().kind(),
                MockProvider.OPENAI_KEY), "");
        HttpResponse<String> streamed = call(chat(cr.token(), "gpt-mock", true));
        assertEquals(200, streamed.statusCode());
        assertTrue(streamed.body().contains("carriage") && streamed.body().endsWith("data: [DONE]\r\r"),
                streamed.body());
        String crTokenId = cr.id();
        awaitCount("SELECT COUNT(*) FROM request_records WHERE token_id = '" + crTokenId + "'", 1);
        assertEquals(List.of("21"), db().strings("SELECT prompt_tokens FROM request_records WHERE token_id = '"
                + crTokenId + "'"), "the provider's usage, read from CR-framed events");

        Issued big = issue(project("bigevent", "openai", mock().baseUrl() + "/u/bigevent-" + db().kind(),
                MockProvider.OPENAI_KEY), "");
        HttpResponse<String> huge = call(chat(big.token(), "gpt-mock", true));
        assertEquals(200, huge.statusCode());
        assertTrue(huge.body().length() > MockProvider.BIG_EVENT_CHARS && huge.body().endsWith("data: [DONE]\n\n"),
                "relayed whole: " + huge.body().length());
        String bigTokenId = big.id();
        awaitCount("SELECT COUNT(*) FROM request_records WHERE token_id = '" + bigTokenId + "'", 1);
        assertEquals(List.of("true"), db().strings("SELECT CASE WHEN tokens_estimated THEN 'true' ELSE 'false' END"
                + " FROM request_records WHERE token_id = '" + bigTokenId + "'"), "usage is flagged as estimated");
    }

    /** Finding 7: on WildFly a body over the limit was answered 400 by the container, not 413 by the proxy. */
    @Test
    default void aBodyFarOverTheLimitIs413OnEveryContainer() throws Exception {
        String token = token(openAiProject("far-over"), "");
        byte[] body = new byte[64 * 1024 * 1024];
        HttpResponse<String> refused = http().send(post(token, "/v1/chat/completions", body).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(refused, 413, "request_too_large");
    }

    /**
     * Finding 6: a path that is not UTF-8 once decoded is refused by the container before the WAR sees it; Tomcat's
     * answer was its HTML page with its version. With server-config's error report (Tomcat) the answer is JSON.
     */
    @Test
    default void pathsTheContainerCannotDecodeGetNoContainerPage() throws Exception {
        String context = server().baseUrl().substring(server().baseUrl().indexOf('/', 8));
        for (String target : List.of(context + "/v1/chat/completions/%E2h%59?x=%80", context + "/manage/audit/%C0%AF",
                context + "/v1/%FF%FE")) {
            RawHttp.Response answer;
            try (RawHttp connection = new RawHttp(server().baseUrl())) {
                connection.head("GET", target, "Authorization: Bearer " + Deployment.MANAGEMENT_TOKEN);
                answer = connection.read();
            }
            assertTrue(answer.status() >= 400 && answer.status() < 500, target + ": " + answer.status());
            String type = answer.headers().getOrDefault("content-type", "");
            assertTrue(answer.body().isEmpty() || type.contains("json"), target + ": " + type + " " + answer.body());
            String lower = answer.body().toLowerCase(java.util.Locale.ROOT);
            for (String leak : HttpFuzzContract.LEAKS) {
                assertFalse(lower.contains(leak), target + " shows '" + leak + "': " + answer.body());
            }
        }
        assertEquals(200, admin().get("/health/ready").status());
    }

    /** Review of #13: a query with a bad percent-escape went upstream as it was and answered 500. */
    @Test
    default void aQueryThatIsNoUriQueryIsRefusedBeforeItGoesUpstream() throws Exception {
        String token = token(openAiProject("bad-query"), "");
        String context = server().baseUrl().substring(server().baseUrl().indexOf('/', 8));
        int before = mock().received.size();
        byte[] body = chat("gpt-mock");
        RawHttp.Response answer;
        try (RawHttp connection = new RawHttp(server().baseUrl())) {
            connection.head("POST", context + "/v1/chat/completions?api-version=%zz", "Authorization: Bearer " + token,
                    "Content-Type: application/json", "Content-Length: " + body.length);
            connection.body(body);
            answer = connection.read();
        }
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.body().contains("\"invalid_query\"") // the proxy's, or the container's own refusal:
                || answer.body().isEmpty() || answer.headers().getOrDefault("content-type", "").contains("json"),
                answer.headers() + " " + answer.body());
        assertEquals(before, mock().received.size(), "nothing went upstream");
        assertEquals(200, call(chat(token, "gpt-mock", false)).statusCode(), "the token is served as before");
    }

    private HttpRequest.Builder guess(String address) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HttpRequest.newBuilder(URI.create(server().baseUrl() + "/v1/models")).header("X-Forwarded-For", address)
                .header("Authorization", "Bearer lpt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    private static byte[] chat(String model) {
        return ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    private void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(code, error.path("code").asText(), r.body());
        assertFalse(error.path("message").asText().isEmpty());
    }

    private String metrics() throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(server().baseUrl() + "/metrics"))
                .header("Authorization", "Bearer " + Deployment.METRICS_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double gauge(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static double counter(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
