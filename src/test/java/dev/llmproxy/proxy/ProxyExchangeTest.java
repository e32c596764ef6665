package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.DomainException;
import dev.llmproxy.limits.Budget;
import dev.llmproxy.limits.BudgetPeriod;
import dev.llmproxy.limits.RateLimit;
import dev.llmproxy.usage.RequestRecord;
import java.io.IOException;
import java.net.ConnectException;
import org.eclipse.jetty.io.EofException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The exchange's state machine, driven through fakes: each test names the path it takes through it. */
class ProxyExchangeTest {
    private static final String ANSWER = "{\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"message\":"
            + "{\"content\":\"Hi\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

    @Test
    void anAnswerIsRelayedWithTheProvidersKeyAndRecordedOnce() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));

        FakeTransport.Sent sent = f.transport.last();
        assertEquals("http://provider.test/v1/chat/completions", sent.request.url());
        assertEquals("Bearer " + ExchangeFixture.PROVIDER_KEY, sent.request.headers().get("Authorization"));
        assertNull(sent.request.headers().get("Cookie"), "the caller's cookies stay behind");
        assertFalse(sent.request.headers().toString().contains(ExchangeFixture.PROXY_TOKEN));

        sent.answer(200, "Content-Type", "application/json", "Content-Length", String.valueOf(ANSWER.length()));
        sent.body.offer(ANSWER, true);
        sent.complete(null);

        assertEquals(200, f.caller.status);
        assertEquals(ANSWER, f.caller.out.text());
        assertEquals("1", f.caller.header(AnswerHead.ATTEMPTS_HEADER).orElseThrow());
        RequestRecord r = f.onlyRecord();
        assertEquals(200, r.status());
        assertEquals(9, r.usage().promptTokens(), "the provider's own count");
        assertFalse(r.usage().estimated());
        assertEquals(1, f.caller.completions);
        assertEquals(0, f.inFlight());
    }

    /**
     * InvokeModel with a body that reports no usage (Mistral's): the counts of Bedrock's answer headers are recorded,
     * not an estimate that left the output out (review i15).
     */
    @Test
    void aBedrockInvokeAnswerIsRecordedWithItsHeadersCounts() {
        ExchangeFixture f = new ExchangeFixture(0);
        String path = "/model/mistral.mistral-large-2407-v1:0/invoke";
        f.exchange("POST", path, ExchangeFixture.grant(dev.llmproxy.project.Provider.BEDROCK,
                "AKIAFIXTURE000000001:fixtureSecret")).bodyRead("{\"prompt\":\"Write a story\"}".getBytes());
        String answer = "{\"outputs\":[{\"text\":\"Once upon a time\",\"stop_reason\":\"length\"}]}";
        FakeTransport.Sent sent = f.transport.last();
        assertTrue(sent.request.url().endsWith("/invoke"), sent.request.url());
        sent.answer(200, "Content-Type", "application/json", "X-Amzn-Bedrock-Input-Token-Count", "18",
                "X-Amzn-Bedrock-Output-Token-Count", "2400");
        sent.body.offer(answer, true);
        sent.complete(null);

        assertEquals(answer, f.caller.out.text());
        assertEquals("2400", f.caller.header("X-Amzn-Bedrock-Output-Token-Count").orElseThrow(), "relayed");
        RequestRecord r = f.onlyRecord();
        assertEquals(18, r.usage().promptTokens());
        assertEquals(2400, r.usage().completionTokens());
        assertFalse(r.usage().estimated());
    }

    @Test
    void a429IsRetriedAfterTheWaitTheProviderAskedFor() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent first = f.transport.last();
        first.answer(429, "retry-after-ms", "200", "Content-Type", "application/json");
        assertNotNull(first.aborted, "the 429 is dropped, not relayed");
        assertEquals(1, f.transport.sent.size());

        f.time.advance(199);
        assertEquals(1, f.transport.sent.size(), "not before the provider's Retry-After");
        f.time.advance(1);
        assertEquals(2, f.transport.sent.size());
        first.completeAborted(); // the dropped attempt's end changes nothing
        assertTrue(f.records.isEmpty());

        FakeTransport.Sent second = f.transport.last();
        second.answer(200, "Content-Type", "application/json");
        second.body.offer(ANSWER, true);
        assertEquals(200, f.caller.status);
        assertEquals("2", f.caller.header(AnswerHead.ATTEMPTS_HEADER).orElseThrow());
        assertEquals(2, f.onlyRecord().attempts());
        assertEquals(200, f.onlyRecord().status());
    }

    @Test
    void a429WithNoAttemptLeftIsTheProvidersOwnAnswer() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(429, "Content-Type", "application/json", "Retry-After", "3");
        sent.body.offer("{\"error\":{\"message\":\"slow down\"}}", true);
        assertEquals(429, f.caller.status);
        assertEquals("3", f.caller.header("Retry-After").orElseThrow());
        assertEquals(429, f.onlyRecord().status());
    }

    @Test
    void aStallBeforeTheFirstByteIsA504AtTheResponseTimeout() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        f.time.advance(999);
        assertNull(sent.aborted);
        f.time.advance(1);
        DomainException timeout = assertInstanceOf(DomainException.class, sent.aborted);
        sent.completeAborted();

        assertEquals("upstream_timeout", f.caller.error.code());
        assertEquals(504, f.caller.status);
        assertEquals("The openai provider did not answer within 1000 ms", timeout.getMessage());
        assertEquals("upstream_timeout", f.onlyRecord().errorCode());
        assertEquals(504, f.onlyRecord().status());
        assertEquals(1, f.caller.completions);
    }

    @Test
    void aStallBetweenChunksCutsTheStreamAfterTheIdleTimeout() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", true));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "text/event-stream");
        sent.body.offer("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", false);
        f.time.advance(499);
        assertNull(sent.aborted);
        f.time.advance(1);
        assertEquals("upstream_timeout", ((DomainException) sent.aborted).code());
        sent.body.cut(sent.aborted);
        assertEquals(200, f.onlyRecord().status(), "the status was sent: the caller sees a short stream");
        assertEquals("upstream_timeout", f.onlyRecord().errorCode(), "the record names what cut it");
        assertTrue(f.caller.out.text().endsWith("data: {\"error\":{\"message\":\"The openai provider did not send the"
                + " next chunk within 500 ms\",\"type\":\"api_error\",\"param\":null,\"code\":\"upstream_timeout\"}}\n\n"),
                "a last event tells the caller's SDK: " + f.caller.out.text());
        assertTrue(f.onlyRecord().usage().estimated(), "no usage from the provider: estimated");
        assertEquals(1, f.caller.completions);
    }

    @Test
    void aModelOutsideTheAllowlistIsRefusedAfterTheBodyWithNothingSentUpstream() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange(ExchangeFixture.grant(List.of("gpt-4o-mini"))).bodyRead(ExchangeFixture.chat("gpt-4.1", false));
        assertTrue(f.transport.sent.isEmpty());
        assertEquals("model_not_allowed", f.caller.error.code());
        assertEquals(403, f.caller.status);
        assertFalse(f.caller.closeAfterError, "the body was read: the connection stays usable");
        assertEquals("gpt-4.1", f.onlyRecord().model());
        assertEquals(403, f.onlyRecord().status());
    }

    @Test
    void aBodyRefusedForItsSizeClosesTheConnection() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRefused(ProxyRefusal.tooLarge(1024));
        assertEquals(413, f.caller.status);
        assertTrue(f.caller.closeAfterError, "the rest of the body is unread");
        assertTrue(f.transport.sent.isEmpty());
        assertEquals(413, f.onlyRecord().status());
    }

    @Test
    void aCallerLeavingMidStreamAbortsTheUpstreamCallAndIsRecorded() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", true));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "text/event-stream");
        sent.body.offer("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", false);
        f.caller.out.leave();
        sent.body.offer("data: {\"choices\":[{\"delta\":{\"content\":\" there\"}}]}\n\n", false);

        assertNotNull(sent.aborted, "the provider's call is stopped");
        assertEquals(499, f.onlyRecord().status());
        assertEquals("client_disconnected", f.onlyRecord().errorCode());
        sent.completeAborted();
        assertEquals(1, f.records.size(), "recorded once");
        assertEquals(0, f.time.pending(), "the watchdog is stopped");
    }

    @Test
    void aCallerLeavingBeforeTheAnswerStopsTheAttemptAndAnyRetry() {
        ExchangeFixture f = new ExchangeFixture(1);
        ProxyExchange exchange = f.exchange();
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        exchange.callerGone(new IOException("connection reset by the caller"));
        assertNotNull(sent.aborted);
        sent.completeAborted();
        f.time.advance(10_000);
        assertEquals(1, f.transport.sent.size(), "no retry for a caller who left");
        assertEquals(499, f.onlyRecord().status());
    }

    @Test
    void aRefusedConnectionIsA502NamingTheCauseButNotTheHost() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.transport.last().failUnsent(new ConnectException("Connection refused: provider.internal:443"));
        assertEquals(502, f.caller.status);
        assertEquals("Could not reach the openai provider: connection refused", f.caller.error.getMessage());
        assertEquals("upstream_unavailable", f.onlyRecord().errorCode());
    }

    @Test
    void aStreamCutByTheProviderEndsWithAnErrorEventAndIsRecordedWithItsCode() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", true));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "text/event-stream");
        sent.body.offer("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"choi", false);
        EofException cut = new EofException("reset");
        sent.body.cut(cut);
        sent.complete(cut);
        assertEquals(1, f.transport.sent.size(), "a stream that began is never replayed");
        assertEquals("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"error\":{\"message\":\"The openai"
                + " provider's answer broke off: its connection was closed or reset\",\"type\":\"api_error\",\"param\":null,"
                + "\"code\":\"upstream_unavailable\"}}\n\n", f.caller.out.text(), "the half event is dropped");
        assertEquals(200, f.onlyRecord().status());
        assertEquals("upstream_unavailable", f.onlyRecord().errorCode());
        assertEquals(1, f.caller.completions);
    }

    @Test
    void aPostWhoseRequestWasNotSentWholeIsRetriedAndThenFallsBack() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.transport.last().failUnsent(new ConnectException("Connection refused"));
        f.time.advance(100); // the back-off
        assertEquals(2, f.transport.sent.size(), "the provider never had it: sent again");
        f.transport.last().failUnsent(new EofException("reset while the body was sent"));
        assertEquals(2, f.transport.sent.size(), "one upstream, one retry: nothing is left");
        assertEquals(502, f.caller.status);
        assertEquals("2", f.caller.header(AnswerHead.ATTEMPTS_HEADER).orElseThrow());
        assertEquals(2, f.onlyRecord().attempts());
        assertEquals("upstream_unavailable", f.onlyRecord().errorCode());
    }

    @Test
    void aPostIsNotRetriedAfterAResetOnceItsBodyWasSent() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.transport.last().complete(new EofException("reset before the answer's headers"));
        f.time.advance(10_000);
        assertEquals(1, f.transport.sent.size(), "the provider may have billed it: not sent again");
        assertEquals(502, f.caller.status);
        assertEquals("1", f.caller.header(AnswerHead.ATTEMPTS_HEADER).orElseThrow());
        assertEquals(1, f.onlyRecord().attempts());
        assertEquals(502, f.onlyRecord().status());
    }

    @Test
    void aPostIsNotRetriedAfterAResponseTimeout() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        f.time.advance(1_000);
        sent.completeAborted();
        f.time.advance(10_000);
        assertEquals(1, f.transport.sent.size());
        assertEquals(504, f.caller.status);
        assertEquals("upstream_timeout", f.onlyRecord().errorCode());
        assertEquals(1, f.onlyRecord().attempts());
    }

    @Test
    void aPostsA500IsPassedOnAtOnceButCountsAgainstTheUpstream() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(500, "Content-Type", "application/json");
        sent.body.offer("{\"error\":{\"message\":\"boom\"}}", true);
        assertNull(sent.aborted, "relayed, not dropped for a retry");
        assertEquals(1, f.transport.sent.size());
        assertEquals(500, f.caller.status);
        assertEquals("1", f.caller.header(AnswerHead.ATTEMPTS_HEADER).orElseThrow());
        assertEquals(500, f.onlyRecord().status());
        assertEquals(1, f.onlyRecord().attempts());
    }

    @Test
    void aPostsA503IsRetried() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.transport.last().answer(503, "Content-Type", "application/json");
        f.time.advance(100);
        assertEquals(2, f.transport.sent.size(), "a 503 says the provider did not process it");
    }

    @Test
    void aProjectThatAllowsUnsafeRetriesHasA500AndATimeoutRetried() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange(ExchangeFixture.grant(Optional.of(true))).bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.transport.last().answer(500, "Content-Type", "application/json");
        f.time.advance(100);
        assertEquals(2, f.transport.sent.size(), "retry_unsafe: the 500 is retried");

        ExchangeFixture timeouts = new ExchangeFixture(1);
        timeouts.exchange(ExchangeFixture.grant(Optional.of(true)))
                .bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        timeouts.time.advance(1_000);
        timeouts.transport.last().completeAborted();
        timeouts.time.advance(100);
        assertEquals(2, timeouts.transport.sent.size(), "retry_unsafe: the response timeout is retried");
    }

    @Test
    void aProjectThatForbidsUnsafeRetriesStillRetriesWhatWasNotProcessed() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange(ExchangeFixture.grant(Optional.of(false))).bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.transport.last().answer(529, "Content-Type", "application/json");
        f.time.advance(100);
        assertEquals(2, f.transport.sent.size(), "529: Anthropic's overloaded, not processed");
        f.transport.last().answer(502, "Content-Type", "application/json");
        assertEquals(2, f.transport.sent.size(), "502 may have been processed");
        assertEquals("2", f.caller.header(AnswerHead.ATTEMPTS_HEADER).orElseThrow());
    }

    @Test
    void aGetIsRetriedAfterA500AndAResetAsBefore() {
        ExchangeFixture f = new ExchangeFixture(1);
        f.exchange("GET", ExchangeFixture.grant(List.of())).bodyRead(new byte[0]);
        f.transport.last().answer(500, "Content-Type", "application/json");
        f.time.advance(100);
        assertEquals(2, f.transport.sent.size());

        ExchangeFixture reset = new ExchangeFixture(1);
        reset.exchange("GET", ExchangeFixture.grant(List.of())).bodyRead(new byte[0]);
        reset.transport.last().complete(new EofException("reset"));
        reset.time.advance(100);
        assertEquals(2, reset.transport.sent.size());
    }

    @Test
    void aFaultOfTheProxysOwnIsA500NamingTheRequestId() {
        FakeTransport broken = new FakeTransport() {
            @Override
            public Sending send(OutboundRequest request, Listener listener) {
                throw new IllegalStateException("bug");
            }
        };
        ExchangeFixture f = new ExchangeFixture(0, broken);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertEquals(500, f.caller.status);
        assertEquals("internal_error", f.caller.error.code());
        assertTrue(f.caller.error.getMessage().contains(f.onlyRecord().requestId()));
        assertEquals(0, f.inFlight());
    }

    @Test
    void aFullRecordQueueRefusesTheCallBeforeAnythingGoesUpstreamAndStillRecordsTheRefusal() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.recordPlaces = 0;
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertTrue(f.transport.sent.isEmpty());
        assertEquals(503, f.caller.status);
        assertEquals("records_backlogged", f.caller.error.code());
        assertEquals(1L, ((ProxyRefusal) f.caller.error).retryAfterSeconds(), "with Retry-After");
        assertEquals(503, f.onlyRecord().status(), "recorded when there is room");
    }

    private static final Budget DAILY = new Budget(5_000_000, BudgetPeriod.parse("budget_period", "daily"));

    @Test
    void aCallWithABudgetReservesAndSettlesOnAWorkThreadNeverOnANetworkThread() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange(ExchangeFixture.grant(List.of(), RateLimit.NONE, Optional.of(DAILY)))
                .bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertEquals(1, f.workRuns, "the admission ran on a work thread");
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "application/json");
        sent.body.offer(ANSWER, true);
        assertEquals(2, f.workRuns, "and the settlement");
        assertEquals(List.of("reserve token 0", "settle token 0 -> 0"), f.ledgerCalls, "no price: nothing to charge");
    }

    @Test
    void aCallThatNeedsTheDatabaseIsRefusedWhenEveryWorkThreadIsBusy() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.workFull = true;
        f.exchange(ExchangeFixture.grant(List.of(), RateLimit.NONE, Optional.of(DAILY)))
                .bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertEquals(503, f.caller.status);
        assertEquals("proxy_busy", f.caller.error.code());
        assertTrue(f.transport.sent.isEmpty());
        assertTrue(f.ledgerCalls.isEmpty());
    }

    @Test
    void aCallWithoutBudgetOrSharedLimitStaysOnItsThread() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertEquals(0, f.workRuns, "no hand-off when nothing waits on the database");
        assertEquals(1, f.transport.sent.size());
    }

    @Test
    void aCallerThatStopsReadingIsCutAfterTheCallerWriteTimeout() {
        ExchangeFixture f = new ExchangeFixture(0, new FakeTransport(), 8);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", true));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "text/event-stream");
        sent.body.offer("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", false); // fills 8 bytes
        f.time.advance(2_999);
        assertNull(sent.aborted, "the caller has 3 s");
        f.time.advance(1);
        assertNotNull(sent.aborted, "the provider's call is stopped too");
        assertEquals(499, f.onlyRecord().status());
        assertEquals("caller_too_slow", f.onlyRecord().errorCode());
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408AndClosesTheConnection() throws IOException {
        ExchangeFixture f = new ExchangeFixture(0);
        ProxyExchange exchange = f.exchange();
        FakeInputStream in = new FakeInputStream();
        RequestBodyReader reader = new RequestBodyReader(in, 10_000, 1 << 20, f.limits(), exchange);
        in.setReadListener(reader);
        exchange.awaitBody(reader);
        in.send(new byte[100]);
        f.time.advance(2_000);
        assertEquals(408, f.caller.status);
        assertEquals("request_body_timeout", f.caller.error.code());
        assertTrue(f.caller.closeAfterError);
        assertEquals(0, f.limits().bodyBytes(), "what the body held is given back");
        in.send(new byte[100]);
        assertEquals(1, f.records.size());
        assertTrue(f.transport.sent.isEmpty());
    }

    @Test
    void theBodyAndTheTokensCallAreGivenBackWhenTheCallEnds() {
        ExchangeFixture f = new ExchangeFixture(0);
        assertTrue(f.limits().startCall("tok-1"));
        byte[] body = ExchangeFixture.chat("gpt-4o-mini", false);
        assertTrue(f.limits().takeBodyBytes(body.length));
        f.exchange().bodyRead(body);
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "application/json");
        sent.body.offer(ANSWER, true);
        assertEquals(0, f.limits().bodyBytes());
        for (int i = 0; i < ExchangeFixture.PROTECTION.maxCallsPerToken(); i++) {
            assertTrue(f.limits().startCall("tok-1"), "the ended call's place is free again");
        }
    }

    /** #14: a database that does not answer keeps no caller waiting past database-deadline-ms. */
    @Test
    void anAdmissionStillWaitingForAWorkThreadAtTheDeadlineIs503AndNeverRuns() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.workDeferred = true;
        f.exchange(ExchangeFixture.grant(List.of(), RateLimit.NONE, Optional.of(DAILY)))
                .bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        f.time.advance(ExchangeFixture.PROTECTION.databaseDeadlineMs() - 1);
        assertNull(f.caller.error, "not yet");
        f.time.advance(1);
        assertEquals(503, f.caller.status);
        assertEquals("database_unavailable", f.caller.error.code());
        assertTrue(f.caller.error.retryAfterSeconds() > 0);
        f.runDeferredWork();
        assertTrue(f.transport.sent.isEmpty(), "nothing went upstream");
        assertTrue(f.ledgerCalls.isEmpty(), "no budget reserved: " + f.ledgerCalls);
        assertEquals(503, f.onlyRecord().status());
    }

    @Test
    void aBudgetThatAnswersAfterTheDeadlineIsGivenBackAndNothingGoesUpstream() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.onLedgerReserve = () -> f.time.advance(ExchangeFixture.PROTECTION.databaseDeadlineMs());
        f.exchange(ExchangeFixture.grant(List.of(), RateLimit.NONE, Optional.of(DAILY)))
                .bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertEquals(503, f.caller.status, "answered at the deadline, while the ledger was still at work");
        assertEquals("database_unavailable", f.caller.error.code());
        assertTrue(f.transport.sent.isEmpty(), "nothing went upstream after the call was answered");
        assertEquals(2, f.ledgerCalls.size(), "the late reservation was given back: " + f.ledgerCalls);
        assertEquals(503, f.onlyRecord().status());
    }

    /** Review of #13: a caller that left while its admission waited for a work thread left a record place behind. */
    @Test
    void aCallerThatLeavesBeforeItsAdmissionRunsLeavesNothingTaken() {
        ExchangeFixture f = new ExchangeFixture(0);
        f.workDeferred = true;
        int places = f.recordPlaces;
        ProxyExchange exchange = f.exchange(ExchangeFixture.grant(List.of(), RateLimit.NONE, Optional.of(DAILY)));
        byte[] body = ExchangeFixture.chat("gpt-4o-mini", false);
        assertTrue(f.limits().takeBodyBytes(body.length)); // as the reader holds them when the body completes
        exchange.bodyRead(body);
        exchange.callerGone(new java.io.IOException("gone"));
        f.runDeferredWork();
        assertTrue(f.transport.sent.isEmpty(), "nothing went upstream");
        assertTrue(f.ledgerCalls.isEmpty(), "no budget reserved: " + f.ledgerCalls);
        assertEquals(places, f.recordPlaces, "no record place kept");
        assertEquals(499, f.onlyRecord().status());
        assertEquals(0, f.limits().bodyBytes());
    }

    /** The caller leaves while the admission is under way (here: as the budget is reserved). */
    @Test
    void aCallThatEndsDuringItsAdmissionGivesBackWhatTheAdmissionTook() {
        ExchangeFixture f = new ExchangeFixture(0);
        int places = f.recordPlaces;
        ProxyExchange[] exchange = new ProxyExchange[1];
        f.onLedgerReserve = () -> exchange[0].callerGone(new java.io.IOException("gone"));
        exchange[0] = f.exchange(ExchangeFixture.grant(List.of(), RateLimit.NONE, Optional.of(DAILY)));
        exchange[0].bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertTrue(f.transport.sent.isEmpty(), "nothing went upstream after the call ended");
        assertEquals(2, f.ledgerCalls.size(), "the reservation was settled: " + f.ledgerCalls);
        assertTrue(f.ledgerCalls.get(1).startsWith("settle token"), f.ledgerCalls.toString());
        assertEquals(places - 1, f.recordPlaces, "the one place taken went to the call's record");
        assertEquals(499, f.onlyRecord().status());
    }

    /** A body that arrives after its deadline refused the call is not admitted, and its bytes are given back. */
    @Test
    void aBodyThatArrivesAfterItsDeadlineIsNotAdmitted() {
        ExchangeFixture f = new ExchangeFixture(0);
        ProxyExchange exchange = f.exchange();
        exchange.awaitBody(new RequestBodyReader(new FakeInputStream(), 10, 1 << 20, f.limits(), exchange));
        f.time.advance(2_000);
        assertEquals(408, f.caller.status);
        byte[] late = ExchangeFixture.chat("gpt-4o-mini", false);
        assertTrue(f.limits().takeBodyBytes(late.length)); // as the reader holds them when the body completes
        exchange.bodyRead(late);
        assertTrue(f.transport.sent.isEmpty());
        assertEquals(0, f.limits().bodyBytes(), "the late body's bytes are given back");
        assertEquals(408, f.onlyRecord().status());
    }

    /** A gzip body's decoded bytes are held like the body's: counted until the call ends, refused past the budget. */
    @Test
    void decodedBodyBytesCountInFlightUntilTheCallEnds() throws Exception {
        ExchangeFixture f = new ExchangeFixture(0);
        byte[] plain = ExchangeFixture.chat("gpt-4o-mini", false);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(plain);
        }
        ProxyExchange exchange = f.exchange(ExchangeFixture.grant(List.of()), "Content-Encoding", "gzip");
        byte[] sent = gz.toByteArray();
        assertTrue(f.limits().takeBodyBytes(sent.length));
        exchange.bodyRead(sent);
        assertEquals(sent.length + plain.length, f.limits().bodyBytes(), "the encoded and the decoded bytes");
        f.transport.last().answer(200, "Content-Type", "application/json");
        f.transport.last().body.offer(ANSWER, true);
        assertEquals(0, f.limits().bodyBytes(), "all given back when the call ends");
    }
}
