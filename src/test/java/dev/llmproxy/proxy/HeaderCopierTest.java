package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class HeaderCopierTest {
    @Test
    void callerCredentialsCookiesHopByHopAndAddressesStayBehind() {
        for (String name : new String[] {"Authorization", "X-Api-Key", "api-key", "Cookie", "Connection",
                "Transfer-Encoding", "X-Forwarded-For", "Forwarded", "X-Real-IP", "OpenAI-Organization", "Host", "Content-Type",
                "x-goog-api-key", "X-Goog-User-Project", "X-Amzn-Bedrock-Service-Tier",
                "X-Amzn-Bedrock-PerformanceConfig-Latency", "X-Amz-Security-Token"}) {
            assertFalse(HeaderCopier.forwardToProvider(name), name);
        }
        for (String name : new String[] {"Accept", "OpenAI-Beta", "anthropic-version", "anthropic-beta",
                "x-goog-api-client"}) {
            assertTrue(HeaderCopier.forwardToProvider(name), name);
        }
    }

    @Test
    void providerCookiesAndHopByHopHeadersAreNotPassedBack() {
        assertFalse(HeaderCopier.forwardToCaller("Set-Cookie"));
        assertFalse(HeaderCopier.forwardToCaller("Transfer-Encoding"));
        assertTrue(HeaderCopier.forwardToCaller("Content-Type"));
        assertTrue(HeaderCopier.forwardToCaller("x-ratelimit-remaining-requests"));
    }

    @Test
    void copiesTheCallersHeadersInOrderWithoutCredentials() {
        HttpFields caller = HttpFields.build().add("Authorization", "Bearer proxy-token").add("OpenAI-Beta", "a")
                .add("Accept", "text/event-stream").add("OpenAI-Beta", "b").add("Content-Type", "application/json");
        HttpFields.Mutable upstream = HttpFields.build();
        HeaderCopier.toProvider(caller, upstream);
        assertEquals(List.of("OpenAI-Beta: a", "Accept: text/event-stream", "OpenAI-Beta: b"),
                upstream.stream().map(f -> f.getName() + ": " + f.getValue()).toList());
    }

    @Test
    void dropsTheLengthOfARewrittenStreamButKeepsItOtherwise() {
        HttpFields provider = HttpFields.build().add("Content-Type", "text/event-stream").add("Content-Length", "42")
                .add("Set-Cookie", "a=b").add("Transfer-Encoding", "chunked").add("x-request-id", "r1");
        FakeCaller rewritten = new FakeCaller();
        HeaderCopier.toCaller(provider, true, rewritten);
        assertEquals(List.of("Content-Type: text/event-stream", "x-request-id: r1"), rewritten.headerLines());
        FakeCaller whole = new FakeCaller();
        HeaderCopier.toCaller(provider, false, whole);
        assertEquals(List.of("Content-Type: text/event-stream", "Content-Length: 42", "x-request-id: r1"),
                whole.headerLines());
    }

    @Test
    void headersTheConnectionHeaderNamesStayOnTheirHopBothWays() {
        HttpFields caller = HttpFields.build().add("Connection", "keep-alive, X-Secret-Hop")
                .add("X-Secret-Hop", "internal").add("HTTP2-Settings", "AAEAAEAAAAIAAAAA")
                .add("Connection", "Upgrade, HTTP2-Settings").add("Upgrade", "h2c").add("Accept", "*/*");
        HttpFields.Mutable upstream = HttpFields.build();
        HeaderCopier.toProvider(caller, upstream);
        assertEquals(List.of("Accept: */*"), upstream.stream().map(f -> f.getName() + ": " + f.getValue()).toList());

        HttpFields provider = HttpFields.build().add("Connection", "X-Backend-Node").add("X-Backend-Node", "llm-7")
                .add("Content-Type", "application/json");
        FakeCaller back = new FakeCaller();
        HeaderCopier.toCaller(provider, false, back);
        assertEquals(List.of("Content-Type: application/json"), back.headerLines());
    }

    @Test
    void theProvidersOrganisationAndCorsDecisionsAreNotRelayed() {
        HttpFields provider = HttpFields.build().add("openai-organization", "org-key-owner")
                .add("openai-project", "proj_abc").add("anthropic-organization-id", "0a1b")
                .add("Access-Control-Allow-Origin", "*").add("Access-Control-Expose-Headers", "x-request-id")
                .add("x-request-id", "req_1").add("openai-processing-ms", "120");
        FakeCaller back = new FakeCaller();
        HeaderCopier.toCaller(provider, false, back);
        assertEquals(List.of("x-request-id: req_1", "openai-processing-ms: 120"), back.headerLines());
    }

    @Test
    void anAwsSdkCallersOwnSignatureNeverGoesUpstreamAndIsRecognised() {
        for (String name : new String[] {"Authorization", "X-Amz-Date", "x-amz-security-token", "X-Amz-Content-Sha256",
            "x-amz-user-agent"}) {
            assertFalse(HeaderCopier.forwardToProvider(name), name);
        }
        assertTrue(HeaderCopier.forwardToProvider("X-Amzn-Bedrock-GuardrailIdentifier"));
        assertTrue(TokenFilter.awsSignature("AWS4-HMAC-SHA256 Credential=AKIA/x"));
        assertFalse(TokenFilter.awsSignature("Bearer llmp_x"));
        assertFalse(TokenFilter.awsSignature(null));
    }
}
