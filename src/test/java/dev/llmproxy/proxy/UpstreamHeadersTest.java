package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpstreamHeadersTest {
    @Test
    void callerCredentialsCookiesHopByHopAndAddressesStayBehind() {
        for (String name : new String[] {"Authorization", "X-Api-Key", "api-key", "Cookie", "Connection",
                "Transfer-Encoding", "X-Forwarded-For", "Forwarded", "X-Real-IP", "OpenAI-Organization", "Host"}) {
            assertFalse(UpstreamHeaders.forwardToProvider(name), name);
        }
        for (String name : new String[] {"Content-Type", "Accept", "OpenAI-Beta", "anthropic-version", "anthropic-beta"}) {
            assertTrue(UpstreamHeaders.forwardToProvider(name), name);
        }
    }

    @Test
    void providerCookiesAndHopByHopHeadersAreNotPassedBack() {
        assertFalse(UpstreamHeaders.forwardToClient("Set-Cookie"));
        assertFalse(UpstreamHeaders.forwardToClient("Transfer-Encoding"));
        assertTrue(UpstreamHeaders.forwardToClient("Content-Type"));
        assertTrue(UpstreamHeaders.forwardToClient("x-ratelimit-remaining-requests"));
    }
}
