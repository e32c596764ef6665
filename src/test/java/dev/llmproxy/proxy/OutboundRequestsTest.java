package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.project.ModelAllowlist;
import dev.llmproxy.project.Provider;
import dev.llmproxy.routing.UpstreamTarget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/**
 * An attempt's request to Bedrock: built afresh for every attempt, so a retry or a failover is signed again with its
 * own date; the caller's own signature and token never in it; the model id encoded as the AWS SDKs send it.
 */
class OutboundRequestsTest {
    private final AtomicLong seconds = new AtomicLong(Instant.parse("2026-12-04T18:30:00Z").getEpochSecond());
    private final Clock ticking = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }
    };
    private final OutboundRequests requests = new OutboundRequests(ExchangeFixture.SETTINGS,
            new ProviderCredentials(ExchangeFixture.SETTINGS, null, ticking, () -> {
                throw new dev.llmproxy.provider.CredentialsUnavailableException("none here", null);
            }));
    private final UpstreamTarget bedrock = new UpstreamTarget("up-1", "default", 1, Provider.BEDROCK,
            "https://bedrock-runtime.eu-west-1.amazonaws.com", "AKIAIOSFODNN7EXAMPLE:secret/Key+1",
            new ModelAllowlist(List.of()));

    private static CallerRequest caller() {
        HttpFields.Mutable headers = HttpFields.build();
        headers.add("Authorization", "Bearer llmp_caller-token");
        headers.add("X-Amz-Date", "20200101T000000Z");
        headers.add("X-Amz-Security-Token", "callers-session");
        headers.add("amz-sdk-request", "attempt=1; max=3");
        String path = "/model/eu.anthropic.claude-3-7-sonnet-20250219-v1:0/converse";
        return new CallerRequest("POST", path, path, "application/json", headers.asImmutable());
    }

    @Test
    void everyAttemptIsSignedAfreshWithItsOwnDate() {
        byte[] body = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        OutboundRequest first = requests.build(bedrock, caller(), body, Optional.empty());
        OutboundRequest retry = requests.build(bedrock, caller(), body, Optional.empty());
        assertEquals("20261204T183000Z", first.headers().get("X-Amz-Date"));
        assertEquals("20261204T183001Z", retry.headers().get("X-Amz-Date"));
        assertNotEquals(first.headers().get("Authorization"), retry.headers().get("Authorization"));
        assertTrue(first.headers().get("Authorization").startsWith(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261204/eu-west-1/bedrock/aws4_request"));
        assertEquals("https://bedrock-runtime.eu-west-1.amazonaws.com/model/eu.anthropic.claude-3-7-sonnet-20250219"
                + "-v1%3A0/converse", first.url());
        assertNull(first.headers().get("X-Amz-Security-Token"), "the caller's session token is not passed on");
        assertFalse(first.headers().toString().contains("llmp_caller-token"));
        assertEquals(1, first.headers().getValuesList("Authorization").size());
    }
}
