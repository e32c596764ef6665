package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseWatchdogTest {
    private final FakeScheduling time = new FakeScheduling();
    private final List<String> expired = new ArrayList<>();
    private final PhaseWatchdog watchdog = new PhaseWatchdog(time, 1_000, 300, 2_000,
            (phase, limit) -> expired.add(phase + " after " + limit + " ms"));

    @Test
    void aStallBeforeTheFirstByteExpiresAtTheResponseTimeoutNotBefore() {
        watchdog.awaitFirstByte();
        time.advance(999);
        assertEquals(List.of(), expired);
        time.advance(1);
        assertEquals(List.of("FIRST_BYTE after 1000 ms"), expired);
    }

    @Test
    void onceTheAnswerBeganOnlySilenceBetweenChunksCounts() {
        watchdog.awaitFirstByte();
        time.advance(900);
        watchdog.firstByteArrived();
        for (int i = 0; i < 20; i++) { // a live stream: no total limit
            time.advance(250);
            watchdog.activity();
        }
        assertEquals(List.of(), expired);
        time.advance(300);
        assertEquals(List.of("NEXT_CHUNK after 300 ms"), expired);
    }

    @Test
    void aRetryStartsItsOwnWaitForTheFirstByte() {
        watchdog.awaitFirstByte();
        time.advance(800);
        watchdog.awaitFirstByte(); // the next attempt was sent
        time.advance(800);
        assertEquals(List.of(), expired);
        time.advance(200);
        assertEquals(1, expired.size());
    }

    @Test
    void aCallerThatLeavesTheAnswerUnreadIsCutAtItsOwnLimitNotTheProviders() {
        watchdog.awaitFirstByte();
        watchdog.firstByteArrived();
        watchdog.callerFull();
        time.advance(1_999);
        assertEquals(List.of(), expired, "the provider's idle limit does not apply while the caller is full");
        time.advance(1);
        assertEquals(List.of("CALLER after 2000 ms"), expired);
    }

    @Test
    void aCallerThatReadsAgainIsBackToTheProvidersIdleLimit() {
        watchdog.awaitFirstByte();
        watchdog.firstByteArrived();
        watchdog.callerFull();
        time.advance(1_500);
        watchdog.callerTook();
        time.advance(299);
        assertEquals(List.of(), expired);
        time.advance(1);
        assertEquals(List.of("NEXT_CHUNK after 300 ms"), expired);
    }

    @Test
    void aStoppedWatchdogNeverFires() {
        watchdog.awaitFirstByte();
        watchdog.stop();
        time.advance(10_000);
        assertEquals(List.of(), expired);
        assertEquals(0, time.pending());
    }

    @Test
    void aStallRightAfterTheHeadersIsCaughtAtTheIdleLimitNotTheResponseTimeout() {
        watchdog.awaitFirstByte();
        time.advance(100);
        watchdog.firstByteArrived();
        time.advance(300);
        assertEquals(List.of("NEXT_CHUNK after 300 ms"), expired);
    }
}
