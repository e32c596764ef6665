package dev.llmproxy.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ManagementAuthenticatorTest {
    private final ManagementAuthenticator auth =
            new ManagementAuthenticator(ManagementAuthenticator.sha256Hex("lpm_correct-token"));

    @Test
    void acceptsOnlyTheExactToken() {
        assertTrue(auth.accepts("lpm_correct-token"));
        assertFalse(auth.accepts("lpm_correct-token "));
        assertFalse(auth.accepts("lpm_correct-toke"));
        assertFalse(auth.accepts(""));
        assertFalse(auth.accepts(null));
    }
}
