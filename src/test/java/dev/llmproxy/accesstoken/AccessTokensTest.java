package dev.llmproxy.accesstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.DomainException;
import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.config.GoogleAuthSettings;
import dev.llmproxy.provider.EntraApplication;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token cache over the real Nimbus request, against a mock of Entra ID's token endpoint. */
class AccessTokensTest {
    private static final String SECRET = "Zx8Q~s3cr3t-value.of_the~app";
    private static final EntraApplication APP = new EntraApplication("contoso.onmicrosoft.com",
            "11111111-2222-3333-4444-555555555555", SECRET);

    private final MockTokenEndpoint mock = new MockTokenEndpoint();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger entraLog = Logger.getLogger("dev.llmproxy.accesstoken");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private AccessTokens tokens;

    @BeforeEach
    void start() {
        entraLog.addHandler(capture);
        entraLog.setLevel(Level.ALL);
        tokens = tokens(2_000);
    }

    @AfterEach
    void stop() {
        tokens.close();
        mock.close();
        entraLog.removeHandler(capture);
    }

    private AccessTokens tokens(int timeoutMs) {
        return new AccessTokens(new EntraSettings(mock.authority(), timeoutMs), new GoogleAuthSettings(timeoutMs));
    }

    private static String get(CompletableFuture<String> token) throws Exception {
        return token.get(5, TimeUnit.SECONDS);
    }

    private static DomainException failure(CompletableFuture<String> token) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> token.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(DomainException.class, e.getCause());
    }

    @Test
    void asksWithTheClientCredentialsGrantAtTheTenantsTokenEndpoint() throws Exception {
        assertEquals("tok-1", get(tokens.token(APP)));
        assertEquals(List.of("/contoso.onmicrosoft.com/oauth2/v2.0/token"), mock.paths);
        Map<String, String> form = java.util.Arrays.stream(mock.forms.get(0).split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertEquals(Map.of("grant_type", "client_credentials", "client_id", APP.clientId(), "client_secret", SECRET,
                "scope", "https://cognitiveservices.azure.com/.default"), form);
    }

    /** A lifetime of years (a broken or hostile endpoint) is held as a day, not one that makes every call ask. */
    @Test
    void aHugeStatedLifetimeIsHeldAsADayAndAskedForOnce() throws Exception {
        mock.answer = MockTokenEndpoint.Answer.token("long", 200_000_000L);
        assertEquals("long", get(tokens.token(APP)));
        for (int i = 0; i < 5; i++) {
            Thread.sleep(50); // a renewal the call before would have started, if any, is under way or done
            assertEquals("long", get(tokens.token(APP)));
        }
        Thread.sleep(200);
        assertEquals(1, mock.requests(), "one token request for a token said to live for years");
    }

    /** A token that could not go into a header as it is (CR, LF, space) is no token: nothing is sent with it. */
    @Test
    void aTokenWithCharactersABearerTokenCannotHaveIsRefusedAsUnavailable() throws Exception {
        mock.answer = MockTokenEndpoint.Answer.token("abc\\r\\nX-Injected: 1", 3599);
        DomainException refused = failure(tokens.token(APP));
        assertEquals("upstream_credentials_unavailable", refused.code());
        assertTrue(logged.stream().noneMatch(r -> r.getMessage().contains("Injected")), "the token is not logged");
    }

    @Test
    void aHeldTokenIsAnsweredAtOnceAndCallsThatWaitTogetherShareOneRequest() throws Exception {
        mock.answer = MockTokenEndpoint.Answer.token("shared", 3599).delayed(300);
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiting.add(tokens.token(APP));
        }
        for (CompletableFuture<String> w : waiting) {
            assertEquals("shared", get(w));
        }
        CompletableFuture<String> later = tokens.token(APP);
        assertTrue(later.isDone(), "a held token needs no wait");
        assertEquals("shared", later.join());
        assertEquals(1, mock.requests(), "one request for all of them");
    }

    @Test
    void aTokenInUseIsRenewedInTheBackgroundBeforeItExpires() throws Exception {
        mock.answer = MockTokenEndpoint.Answer.token("first", 2);
        assertEquals("first", get(tokens.token(APP)));
        mock.answer = MockTokenEndpoint.Answer.token("second", 3599);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_000);
        String last = "first";
        while (System.nanoTime() - end < 0) { // callers keep using it: never one waits, the token changes by itself
            CompletableFuture<String> now = tokens.token(APP);
            assertTrue(now.isDone(), "no call waits for a renewal");
            last = now.join();
            Thread.sleep(50);
        }
        assertEquals("second", last, "renewed at 80% of the 2 s lifetime");
        assertEquals(2, mock.requests());
    }

    @Test
    void anUnusedTokenIsNotRenewedAndLapses() throws Exception {
        mock.answer = MockTokenEndpoint.Answer.token("once", 1);
        assertEquals("once", get(tokens.token(APP)));
        Thread.sleep(1_500);
        assertEquals(1, mock.requests(), "nobody used it: nobody needs it renewed");
        assertEquals(0, tokens.held(), "nor its secret kept");
    }

    @Test
    void aRejectedSecretFailsClearlyIsHeldBrieflyAndRecoversOnceCorrected() throws Exception {
        mock.answer = new MockTokenEndpoint.Answer(401, "{\"error\":\"invalid_client\",\"error_description\":"
                + "\"AADSTS7000215: Invalid client secret provided: " + SECRET + "\",\"error_codes\":[7000215]}", 0);
        DomainException refused = failure(tokens.token(APP));
        assertEquals("upstream_credentials_rejected", refused.code());
        assertEquals(502, refused.kind().status());
        assertTrue(refused.getMessage().contains("invalid_client"), refused.getMessage());
        assertFalse(refused.getMessage().contains(SECRET));
        assertEquals("upstream_credentials_rejected", failure(tokens.token(APP)).code());
        assertEquals(1, mock.requests(), "a refusal is answered again for a moment without asking");

        mock.answer = null;
        Thread.sleep(AccessTokens.FAILURE_HOLD_MS + 100);
        assertEquals("tok-1", get(tokens.token(APP)));
        assertEquals(2, mock.requests());
        assertSecretNeverLogged();
    }

    @Test
    void aSlowEndpointFailsTheWaitingCallsAtTheDeadline() throws Exception {
        tokens.close();
        tokens = tokens(300);
        mock.answer = MockTokenEndpoint.Answer.token("late", 3599).delayed(2_000);
        long started = System.nanoTime();
        DomainException slow = failure(tokens.token(APP));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("upstream_credentials_unavailable", slow.code());
        assertEquals(503, slow.kind().status());
        assertTrue(slow.getMessage().contains("did not answer within 300 ms"), slow.getMessage());
        assertTrue(tookMs < 1_500, "failed at the deadline, not when the endpoint answered: " + tookMs + " ms");
    }

    @Test
    void anEndpointThatFailsOrAnswersNoTokenIsUnavailable() throws Exception {
        for (MockTokenEndpoint.Answer answer : List.of(
                new MockTokenEndpoint.Answer(200, "{\"token_type\":\"Bearer\",\"expires_in\":", 0),
                new MockTokenEndpoint.Answer(200, "<html>sign in</html>", 0),
                new MockTokenEndpoint.Answer(503, "busy", 0),
                new MockTokenEndpoint.Answer(500, "{\"error\":\"temporarily_unavailable\"}", 0))) {
            mock.answer = answer;
            tokens.close();
            tokens = tokens(2_000);
            DomainException e = failure(tokens.token(APP));
            assertEquals("upstream_credentials_unavailable", e.code(), answer.toString());
            assertEquals(503, e.kind().status());
        }
        tokens.close();
        tokens = new AccessTokens(new EntraSettings(URI.create("http://127.0.0.1:9"), 2_000),
                new GoogleAuthSettings(2_000)); // nobody listens
        DomainException down = failure(tokens.token(APP));
        assertEquals("upstream_credentials_unavailable", down.code());
        assertTrue(down.getMessage().contains("could not be reached"), down.getMessage());
        assertSecretNeverLogged();
    }

    @Test
    void aTokenTheProviderRefusedIsReplacedByTheNextCall() throws Exception {
        assertEquals("tok-1", get(tokens.token(APP)));
        tokens.refused(APP, "tok-0"); // an older one: the held token stays
        assertEquals("tok-1", tokens.token(APP).join());
        tokens.refused(APP, "tok-1");
        assertEquals("tok-2", get(tokens.token(APP)));
        assertEquals(2, mock.requests());
    }

    @Test
    void applicationsWithAnotherSecretGetTheirOwnToken() throws Exception {
        assertEquals("tok-1", get(tokens.token(APP)));
        EntraApplication other = new EntraApplication(APP.tenant(), APP.clientId(), "another-secret");
        assertNotEquals("tok-1", get(tokens.token(other)), "no borrowing a token with a wrong secret");
    }

    @Test
    void theSecretAndTheTokenStayOutOfToString() {
        assertFalse(APP.toString().contains(SECRET), APP.toString());
        assertTrue(APP.toString().contains(APP.clientId()));
        assertFalse(new TokenEndpoint.Issued("tok-secret", 60).toString().contains("tok-secret"));
    }

    private void assertSecretNeverLogged() {
        assertFalse(logged.isEmpty(), "the failures were logged");
        for (LogRecord r : logged) {
            String text = r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown());
            assertFalse(text.contains(SECRET), text);
        }
    }
}
