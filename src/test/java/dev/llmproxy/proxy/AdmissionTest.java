package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.DomainException;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.config.CacheSettings;
import dev.llmproxy.config.RoutingSettings;
import dev.llmproxy.limits.Budget;
import dev.llmproxy.limits.BudgetLedger;
import dev.llmproxy.limits.BudgetPeriod;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.LocalBucketStore;
import dev.llmproxy.limits.RateLimit;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.usage.Price;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.TokenEstimator;
import io.github.bucket4j.Bucket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.util.zip.GZIPOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final RoutingSettings ROUTING = new RoutingSettings(0, 100, 5_000, 50, 100, 100, 60_000, 1, false);
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
    private final LocalBucketStore buckets = new LocalBucketStore();
    private boolean ledgerDown;

    private final BudgetLedger ledger = new BudgetLedger() {
        @Override
        public boolean reserve(String scope, String scopeId, String periodKey, long micros, long limit)
                throws SQLException {
            if (ledgerDown) {
                throw new SQLException("connection refused", "08001");
            }
            return true;
        }

        @Override
        public void settle(String scope, String scopeId, String periodKey, long reserved, long actual) {
        }
    };

    private Admission admission(RateLimiter limiter) {
        PriceTable prices = new PriceTable(Map.of("gpt-4o-mini", new Price("gpt-4o-mini", 150_000, null, null, 600_000, "test")));
        return new Admission(new ResponseCache(new CacheSettings(0, 0), clock), new TokenEstimator(), () -> prices,
                new Budgets(ledger, clock), limiter, new CircuitBreakers(ROUTING), ROUTING, ExchangeFixture.SETTINGS);
    }

    private static CallerRequest request() {
        return request("application/json", null);
    }

    private static CallerRequest request(String contentType, String contentEncoding) {
        HttpFields.Mutable headers = HttpFields.build();
        if (contentEncoding != null) {
            headers.add("Content-Encoding", contentEncoding);
        }
        return new CallerRequest("POST", "/v1/chat/completions", "/v1/chat/completions", contentType,
                headers.asImmutable());
    }

    private DomainException refusal(TokenGrant grant, CallerRequest request, byte[] body) {
        return assertThrows(DomainException.class, () -> admission(new RateLimiter(buckets))
                .admit(grant, request, body, call(), n -> true));
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    private static final TokenGrant ALLOWLISTED = ExchangeFixture.grant(List.of("gpt-4o-mini"));

    @Test
    void withAnAllowlistABodyTheProxyCannotReadIsRefusedNotLetThrough() {
        byte[] gpt41 = ExchangeFixture.chat("gpt-4.1", false);
        DomainException notJson = refusal(ALLOWLISTED, request("text/plain", null), gpt41);
        assertEquals("unreadable_body", notJson.code());
        assertEquals(400, notJson.kind().status());
        assertTrue(notJson.getMessage().contains("'text/plain' is not JSON"), notJson.getMessage());

        byte[] hugeNumber = ("{\"model\":\"gpt-4.1\",\"n\":" + "9".repeat(1_001) + "}").getBytes();
        DomainException tooLong = refusal(ALLOWLISTED, request(), hugeNumber);
        assertEquals("unreadable_body", tooLong.code());
        assertTrue(tooLong.getMessage().contains("JSON limit"), tooLong.getMessage());

        assertEquals("unreadable_body", refusal(ALLOWLISTED, request(), "{\"model\":".getBytes()).code());
        assertEquals("unreadable_body", refusal(ALLOWLISTED, request(), "[1,2]".getBytes()).code());
        assertEquals("model_missing", refusal(ALLOWLISTED, request(), "{\"model\":42}".getBytes()).code());
    }

    @Test
    void aGzipBodyIsReadAfterDecodingSoTheAllowlistStillApplies() throws IOException {
        DomainException refused = refusal(ALLOWLISTED, request("application/json", "gzip"),
                gzip(ExchangeFixture.chat("gpt-4.1", false)));
        assertEquals("model_not_allowed", refused.code());

        Admission.Decision allowed = admission(new RateLimiter(buckets)).admit(ALLOWLISTED,
                request("application/json", "gzip"), gzip(ExchangeFixture.chat("gpt-4o-mini", false)), call(), n -> true);
        AdmittedCall admitted = assertInstanceOf(Admission.Admitted.class, allowed).call();
        assertEquals("gpt-4o-mini", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(admitted.body().bytes()).path("model").asText(), "the decoded body goes upstream");
    }

    @Test
    void aCompressedBodyThatInflatesPastTheLimitIsRefusedWithoutHoldingIt() throws IOException {
        byte[] bomb = gzip(new byte[(1 << 20) + 1]); // a kilobyte that inflates past max-request-body-bytes (1 MiB)
        assertTrue(bomb.length < 4096, "" + bomb.length);
        assertEquals("request_too_large", refusal(ALLOWLISTED, request("application/json", "gzip"), bomb).code());
        assertEquals("unsupported_content_encoding",
                refusal(ALLOWLISTED, request("application/json", "br"), new byte[] {1, 2, 3}).code());
        assertEquals("unreadable_body",
                refusal(ALLOWLISTED, request("application/json", "gzip"), "not gzip".getBytes()).code());
    }

    @Test
    void withoutRulesThatReadTheBodyAnOpaqueBodyIsForwardedForTheProviderToJudge() {
        Admission.Decision decision = admission(new RateLimiter(buckets)).admit(ExchangeFixture.grant(List.of()),
                request("text/plain", null), "hello".getBytes(), call(), n -> true);
        assertInstanceOf(Admission.Admitted.class, decision);
    }

    @Test
    void aTokensPerMinuteLimitNeedsTheModelToo() {
        TokenGrant tpm = ExchangeFixture.grant(List.of(), new RateLimit(null, 10_000), Optional.empty());
        assertEquals("model_missing", refusal(tpm, request(), "{\"messages\":[]}".getBytes()).code());
    }

    private static CallRecord call() {
        return new CallRecord(Instant.now(), "POST", "/v1/chat/completions");
    }

    @Test
    void aFailingRateLimitStoreIsReportedAsSuchNotAsTheBudget() {
        RateLimiter broken = new RateLimiter((key, configuration) -> {
            throw new IllegalStateException("bucket table is locked");
        });
        TokenGrant grant = ExchangeFixture.grant(List.of(), new RateLimit(10, null), Optional.empty());
        DomainException refused = assertThrows(DomainException.class, () -> admission(broken)
                .admit(grant, request(), ExchangeFixture.chat("gpt-4o-mini", false), call(), n -> true));
        assertEquals("rate_limit_unavailable", refused.code());
        assertEquals(503, refused.kind().status());
    }

    @Test
    void aFailingBudgetLedgerIsBudgetUnavailableAndGivesBackTheTokensTaken() {
        ledgerDown = true;
        RateLimit tpm = new RateLimit(null, 1_000);
        TokenGrant grant = ExchangeFixture.grant(List.of(), tpm,
                Optional.of(new Budget(1_000_000, BudgetPeriod.parse("budget_period", "daily"))));
        DomainException refused = assertThrows(DomainException.class, () -> admission(new RateLimiter(buckets))
                .admit(grant, request(), ExchangeFixture.chat("gpt-4o-mini", false), call(), n -> true));
        assertEquals("budget_unavailable", refused.code());
        Bucket bucket = buckets.bucket("token:tok-1:tpm:1000", null);
        assertEquals(1_000, bucket.getAvailableTokens(), "the refused call's prompt estimate is given back");
    }

    @Test
    void theModelAskedForIsRecordedEvenWhenRefused() {
        CallRecord call = call();
        DomainException refused = assertThrows(DomainException.class, () -> admission(new RateLimiter(buckets))
                .admit(ExchangeFixture.grant(List.of("gpt-4o-mini")), request(),
                        ExchangeFixture.chat("gpt-4.1", false), call, n -> true));
        assertEquals("model_not_allowed", refused.code());
        assertEquals("gpt-4.1", call.toRecord(new PriceTable(Map.of())).orElseThrow().model());
    }

    @Test
    void anAdmittedCallCarriesOurRateHeaders() {
        TokenGrant grant = ExchangeFixture.grant(List.of(), new RateLimit(10, null), Optional.empty());
        Admission.Decision decision = admission(new RateLimiter(buckets))
                .admit(grant, request(), ExchangeFixture.chat("gpt-4o-mini", false), call(), n -> true);
        AdmittedCall admitted = assertInstanceOf(Admission.Admitted.class, decision).call();
        assertEquals("9", admitted.rateHeaders().get("x-ratelimit-remaining-requests"));
    }
}
