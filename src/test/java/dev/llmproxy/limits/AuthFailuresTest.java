package dev.llmproxy.limits;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    @Test
    void anAddressIsBlockedOnceItsFailuresAreUsedUp() {
        AuthFailures failures = new AuthFailures(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(failures.blockedFor("192.0.2.1").isEmpty(), "failure " + i + " is within the allowance");
            failures.failed("192.0.2.1");
        }
        var blocked = failures.blockedFor("192.0.2.1");
        assertTrue(blocked.isPresent());
        assertTrue(blocked.getAsLong() >= 1 && blocked.getAsLong() <= 20,
                "one failure comes back in 20 s at 3 a minute: " + blocked.getAsLong());
        assertTrue(failures.blockedFor("192.0.2.2").isEmpty(), "other addresses are not blocked");
    }

    @Test
    void zeroSwitchesTheLimitOff() {
        AuthFailures failures = new AuthFailures(0);
        for (int i = 0; i < 1_000; i++) {
            failures.failed("192.0.2.1");
        }
        assertTrue(failures.blockedFor("192.0.2.1").isEmpty());
    }
}
