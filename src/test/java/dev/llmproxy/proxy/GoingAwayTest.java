package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.DomainException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an exchange does when the application goes away under it ({@link ProxyExchange#goingAway}, #14). */
class GoingAwayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";

    @Test
    void aStreamUnderWayEndsWithTheShuttingDownEventAfterItsLastWholeEvent() throws Exception {
        ExchangeFixture f = new ExchangeFixture(1);
        ProxyExchange exchange = f.exchange();
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o-mini", true));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "text/event-stream");
        sent.body.offer(EVENT + "data: {\"choices\":[{\"del", false); // a whole event and half of the next
        assertTrue(exchange.streaming());

        exchange.goingAway();
        DomainException cutWith = (DomainException) sent.aborted;
        assertEquals("proxy_shutting_down", cutWith.code(), "the provider's side is cut, which wakes the relay");
        sent.body.cut(sent.aborted);
        sent.completeAborted(); // Jetty reports the abort too: it changes nothing

        String text = f.caller.out.text();
        assertTrue(text.startsWith(EVENT), text);
        String last = text.substring(EVENT.length());
        assertTrue(last.startsWith("data: ") && last.endsWith("\n\n"), "one whole event, not the half one: " + last);
        JsonNode error = JSON.readTree(last.substring(6)).path("error");
        assertEquals("proxy_shutting_down", error.path("code").asText());
        assertEquals("api_error", error.path("type").asText());
        assertEquals(1, f.transport.sent.size(), "not retried");
        assertEquals(200, f.onlyRecord().status(), "the status the caller got");
        assertEquals("proxy_shutting_down", f.onlyRecord().errorCode());
        assertEquals(1, f.caller.completions);
        assertEquals(0, f.exchanges().size());
    }

    @Test
    void aCallWaitingForTheProvidersAnswerIsRefusedWith503AndNotRetried() {
        ExchangeFixture f = new ExchangeFixture(2);
        ProxyExchange exchange = f.exchange();
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        exchange.goingAway();
        assertNotNull(sent.aborted);
        sent.completeAborted();
        assertEquals(1, f.transport.sent.size(), "a retry would go to a provider the proxy no longer waits for");
        assertEquals(503, f.caller.status);
        assertEquals("proxy_shutting_down", f.caller.error.code());
        assertEquals(2L, f.caller.error.retryAfterSeconds());
        assertEquals(503, f.onlyRecord().status());
        assertEquals("proxy_shutting_down", f.onlyRecord().errorCode());
    }

    @Test
    void aCallWhoseBodyIsStillComingIsRefusedAndItsConnectionClosed() {
        ExchangeFixture f = new ExchangeFixture(0);
        ProxyExchange exchange = f.exchange();
        exchange.goingAway();
        assertEquals("proxy_shutting_down", f.caller.error.code());
        assertTrue(f.caller.closeAfterError, "the unread body must not be taken for the next request");
        assertEquals(503, f.onlyRecord().status());
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o-mini", false)); // it arrives after all
        assertTrue(f.transport.sent.isEmpty());
        assertEquals(1, f.records.size());
    }

    @Test
    void aBodyThatArrivesAfterTheShutdownBeganIsRefusedBeforeAnythingGoesUpstream() throws Exception {
        ExchangeFixture f = new ExchangeFixture(0);
        f.exchanges().shutDown(Duration.ZERO, Duration.ZERO);
        f.exchange().bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        assertTrue(f.transport.sent.isEmpty());
        assertEquals("proxy_shutting_down", f.caller.error.code());
        assertEquals(503, f.onlyRecord().status());
    }

    @Test
    void anAnswerThatIsNotAStreamIsLeftToFinish() {
        ExchangeFixture f = new ExchangeFixture(0);
        ProxyExchange exchange = f.exchange();
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o-mini", false));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "application/json");
        sent.body.offer("{\"id\":", false);
        exchange.goingAway();
        assertEquals(null, sent.aborted);
        sent.body.offer("\"c1\"}", true);
        assertEquals("{\"id\":\"c1\"}", f.caller.out.text());
        assertEquals(null, f.onlyRecord().errorCode());
    }

    @Test
    void theContainerEndingTheRequestItselfGetsItAnsweredBeforeItGoesOn() {
        ExchangeFixture f = new ExchangeFixture(0);
        ProxyExchange exchange = f.exchange();
        long started = System.nanoTime();
        exchange.containerEnds(); // Tomcat's async timeout for the requests of an application it stops
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1_000, "no wait: it was answered at once");
        assertEquals("proxy_shutting_down", f.caller.error.code());
        assertEquals(1, f.caller.completions, "completed before the container goes on");
        assertEquals(503, f.onlyRecord().status());
    }

    @Test
    void aStreamWhoseCallerReadsNothingIsCutAndRecorded() {
        ExchangeFixture f = new ExchangeFixture(0, new FakeTransport(), 8);
        ProxyExchange exchange = f.exchange();
        exchange.bodyRead(ExchangeFixture.chat("gpt-4o-mini", true));
        FakeTransport.Sent sent = f.transport.last();
        sent.answer(200, "Content-Type", "text/event-stream");
        sent.body.offer(EVENT, false); // fills the caller's connection
        exchange.goingAway();
        sent.body.cut(sent.aborted);
        assertEquals(EVENT, f.caller.out.text(), "nothing more can be written while the caller is full");
        assertTrue(f.records.isEmpty());
        exchange.cut();
        assertEquals(200, f.onlyRecord().status());
        assertEquals("proxy_shutting_down", f.onlyRecord().errorCode());
        assertEquals(1, f.caller.completions);
    }
}
