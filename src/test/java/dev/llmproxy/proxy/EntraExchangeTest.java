package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.accesstoken.AccessTokenException;
import dev.llmproxy.accesstoken.AccessTokens;
import dev.llmproxy.accesstoken.TokenEndpoint;
import dev.llmproxy.project.Provider;
import dev.llmproxy.token.TokenGrant;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Azure OpenAI upstream whose key names an Entra ID application, through the exchange: the attempt waits for its
 * access token without holding the thread that admitted it, goes with the token, and is sent once more with a new
 * token when Azure refuses the cached one.
 */
class EntraExchangeTest {
    private static final String KEY = "entra:contoso.onmicrosoft.com:0b3c5e1a-7d2f-4c8e-9a6b-1f2e3d4c5b6a:s3cr3t~v";
    private static final dev.llmproxy.provider.TokenCredential ENTRA_APP =
            dev.llmproxy.provider.EntraApplication.of(KEY).orElseThrow();
    private static final String ANSWER = "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":2,\"total_tokens\":11}}";

    private final CountDownLatch endpointAnswers = new CountDownLatch(1);
    private final AtomicInteger asked = new AtomicInteger();
    private volatile AccessTokenException endpointFailure;
    private final AccessTokens tokens = new AccessTokens(application -> {
        asked.incrementAndGet();
        try {
            endpointAnswers.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (endpointFailure != null) {
            throw endpointFailure;
        }
        return new TokenEndpoint.Issued("at-" + asked.get(), 3600);
    }, 2_000);
    private final TokenGrant grant = ExchangeFixture.grant(Provider.AZURE_OPENAI, KEY);

    @AfterEach
    void close() {
        tokens.close();
    }

    private ExchangeFixture fixture(int retries) {
        return new ExchangeFixture(retries, new FakeTransport(), 1 << 20, tokens);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anAttemptWaitsForItsTokenWithoutHoldingTheThreadAndGoesWithIt() throws Exception {
        ExchangeFixture f = fixture(0);
        f.exchange(grant).bodyRead(ExchangeFixture.chat("gpt-4o", false)); // returns while the endpoint is silent
        assertEquals(0, f.transport.sent.size(), "nothing sent without a token");
        endpointAnswers.countDown();
        await("the attempt is sent", () -> f.transport.sent.size() == 1);
        FakeTransport.Sent sent = f.transport.last();
        assertEquals("Bearer at-1", sent.request.headers().get("Authorization"));
        assertNull(sent.request.headers().get("api-key"), "the token instead of the key");
        assertTrue(!sent.request.headers().toString().contains("s3cr3t"), "the secret never goes upstream");
        sent.answer(200, "Content-Type", "application/json", "Content-Length", String.valueOf(ANSWER.length()));
        sent.body.offer(ANSWER, true);
        sent.complete(null);
        assertEquals(200, f.caller.status);
        assertEquals(200, f.onlyRecord().status());

        ExchangeFixture next = fixture(0); // the next call finds the token at hand: sent before bodyRead returns
        next.exchange(grant).bodyRead(ExchangeFixture.chat("gpt-4o", false));
        assertEquals(1, next.transport.sent.size());
        assertEquals("Bearer at-1", next.transport.last().request.headers().get("Authorization"));
        assertEquals(1, asked.get());
    }

    @Test
    void aRefusedTokenIsReplacedAndTheCallSentOnceMoreOnly() throws Exception {
        endpointAnswers.countDown();
        ExchangeFixture f = fixture(0);
        f.exchange(grant).bodyRead(ExchangeFixture.chat("gpt-4o", false));
        await("the first sending", () -> f.transport.sent.size() == 1);
        FakeTransport.Sent first = f.transport.last();
        first.answer(401, "Content-Type", "application/json");
        assertNotNull(first.aborted, "the 401 is dropped, not relayed");
        first.completeAborted(); // its end is ignored: the sending with the new token counts
        await("the sending with a new token", () -> f.transport.sent.size() == 2);
        FakeTransport.Sent second = f.transport.last();
        assertEquals("Bearer at-2", second.request.headers().get("Authorization"));
        second.answer(401, "Content-Type", "application/json", "Content-Length", "2");
        second.body.offer("{}", true);
        second.complete(null);
        assertEquals(401, f.caller.status, "a second refusal is the provider's answer");
        assertEquals(2, f.transport.sent.size());
        assertEquals(401, f.onlyRecord().status());
        assertEquals(2, asked.get());
    }

    @Test
    void aCallerLeavingWhileItsTokenIsFetchedSendsNothing() throws Exception {
        ExchangeFixture f = fixture(1);
        ProxyExchange exchange = f.exchange(grant);
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o", false));
        exchange.callerGone(new IOException("connection reset by the caller"));
        assertEquals(499, f.onlyRecord().status());
        endpointAnswers.countDown();
        await("the token arrived", () -> tokens.token(dev.llmproxy.provider.EntraApplication.of(KEY).orElseThrow())
                .isDone());
        Thread.sleep(50);
        assertEquals(0, f.transport.sent.size(), "nothing sent for a caller who left");
        assertEquals(1, f.records.size());
    }

    @Test
    void aCallWaitingForItsTokenAtShutdownIsRefusedAtOnce() throws Exception {
        ExchangeFixture f = fixture(1);
        ProxyExchange exchange = f.exchange(grant);
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o", false));
        exchange.goingAway();
        assertEquals(503, f.caller.status, "not left waiting for the token endpoint");
        assertEquals("proxy_shutting_down", f.onlyRecord().errorCode());
        endpointAnswers.countDown();
        Thread.sleep(50);
        assertEquals(0, f.transport.sent.size());
    }

    @Test
    void aTokenThatCannotBeHadIsTheCallersOpenAiErrorRecordedOnce() throws Exception {
        endpointFailure = AccessTokenException.rejected(ENTRA_APP, "invalid_client");
        endpointAnswers.countDown();
        ExchangeFixture f = fixture(1); // the retry finds the failure held: the endpoint is asked once
        f.exchange(grant).bodyRead(ExchangeFixture.chat("gpt-4o", false));
        await("the retry is due", () -> f.time.pending() == 1);
        f.time.advance(1_000); // the retry's wait
        await("the retry answered", () -> f.records.size() == 1);
        assertEquals(502, f.caller.status);
        assertEquals("upstream_credentials_rejected", f.caller.error.code());
        assertEquals("upstream_credentials_rejected", f.onlyRecord().errorCode());
        assertEquals(0, f.transport.sent.size(), "Azure is not called without a token");
        assertEquals(1, asked.get());
    }
}
