package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final RoutingSettings ROUTING = new RoutingSettings(0, 100, 5_000, 50, 100, 100, 60_000, 1);
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
        return new CallerRequest("POST", "/v1/chat/completions", "/v1/chat/completions", "application/json",
                HttpFields.EMPTY);
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
                .admit(grant, request(), ExchangeFixture.chat("gpt-4o-mini", false), call()));
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
                .admit(grant, request(), ExchangeFixture.chat("gpt-4o-mini", false), call()));
        assertEquals("budget_unavailable", refused.code());
        Bucket bucket = buckets.bucket("token:tok-1:tpm:1000", null);
        assertEquals(1_000, bucket.getAvailableTokens(), "the refused call's prompt estimate is given back");
    }

    @Test
    void theModelAskedForIsRecordedEvenWhenRefused() {
        CallRecord call = call();
        DomainException refused = assertThrows(DomainException.class, () -> admission(new RateLimiter(buckets))
                .admit(ExchangeFixture.grant(List.of("gpt-4o-mini")), request(),
                        ExchangeFixture.chat("gpt-4.1", false), call));
        assertEquals("model_not_allowed", refused.code());
        assertEquals("gpt-4.1", call.toRecord(new PriceTable(Map.of())).orElseThrow().model());
    }

    @Test
    void anAdmittedCallCarriesOurRateHeaders() {
        TokenGrant grant = ExchangeFixture.grant(List.of(), new RateLimit(10, null), Optional.empty());
        Admission.Decision decision = admission(new RateLimiter(buckets))
                .admit(grant, request(), ExchangeFixture.chat("gpt-4o-mini", false), call());
        AdmittedCall admitted = assertInstanceOf(Admission.Admitted.class, decision).call();
        assertEquals("9", admitted.rateHeaders().get("x-ratelimit-remaining-requests"));
    }
}
