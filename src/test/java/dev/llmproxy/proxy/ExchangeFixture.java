package dev.llmproxy.proxy;

import dev.llmproxy.cache.ProjectCachePolicy;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.config.CacheSettings;
import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.config.GoogleAuthSettings;
import dev.llmproxy.accesstoken.AccessTokens;
import dev.llmproxy.config.ProtectionSettings;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.config.RoutingSettings;
import dev.llmproxy.limits.Budget;
import dev.llmproxy.limits.BudgetLedger;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.LocalBucketStore;
import dev.llmproxy.limits.RateLimit;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.metrics.CallMetrics;
import dev.llmproxy.project.ModelAllowlist;
import dev.llmproxy.project.Provider;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.routing.UpstreamTarget;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.RecordSink;
import dev.llmproxy.usage.RequestRecord;
import dev.llmproxy.usage.TokenEstimator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jetty.http.HttpFields;

/** One project with one upstream, real admission and call log, fake time, transport and caller. */
final class ExchangeFixture {
    static final String PROVIDER_KEY = "sk-provider-secret-0001";
    static final String PROXY_TOKEN = "llmp_caller-token";
    /** 1 s to the first byte, 500 ms between chunks. */
    static final ProxySettings SETTINGS = new ProxySettings(1 << 20, 2_000, 1_000, 500, "2023-06-01",
            java.util.Map.of(), 4096, "us-east-1");

    /** 64 KiB of bodies in flight, 4 calls per token, 2 s for a body, 3 s for the caller to read. */
    static final ProtectionSettings PROTECTION = new ProtectionSettings(10, 64 * 1024, 4, 2_000, 3_000, 2, 10, 60_000);

    final FakeScheduling time = new FakeScheduling();
    final FakeTransport transport;
    final FakeCaller caller;
    final List<RequestRecord> records = new ArrayList<>();
    /** What the budget ledger was asked, in order. */
    final List<String> ledgerCalls = new ArrayList<>();
    /** Whether the work threads are all busy; how many tasks ran on them. */
    boolean workFull;
    int workRuns;
    /** When set, work is queued here instead of run at once; {@link #runDeferredWork} runs it. */
    boolean workDeferred;
    final List<Runnable> deferredWork = new ArrayList<>();
    /** Runs on the budget ledger's reserve, as if another thread did something at that moment. */
    Runnable onLedgerReserve = () -> { };
    /** Places left in the record queue. */
    int recordPlaces = 1_000;
    private final RecordSink sink = new RecordSink() {
        @Override
        public long reserve() {
            return recordPlaces-- > 0 ? recordPlaces : NO_PLACE;
        }

        @Override
        public void release(long ticket) {
            recordPlaces++;
        }

        @Override
        public void recordReserved(long ticket, RequestRecord record) {
            records.add(record);
        }

        @Override
        public void recordIfRoom(RequestRecord record) {
            records.add(record);
        }
    };
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
    private final CallLog callLog = new CallLog(sink, () -> new PriceTable(Map.of()),
            new CallMetrics(new SimpleMeterRegistry(), () -> new PriceTable(Map.of())));
    private final ProxyServices services;

    /** @param retries extra attempts on the upstream after a retryable status or a failure before the first byte */
    ExchangeFixture(int retries) {
        this(retries, new FakeTransport());
    }

    ExchangeFixture(int retries, FakeTransport transport) {
        this(retries, transport, 1 << 20);
    }

    /** @param callerCapacity bytes the caller's connection takes before it is full */
    ExchangeFixture(int retries, FakeTransport transport, int callerCapacity) {
        this(retries, transport, callerCapacity,
                new AccessTokens(new EntraSettings(java.net.URI.create("http://127.0.0.1:9"), 1_000),
                        new GoogleAuthSettings(1_000)));
    }

    /** @param accessTokens where the access tokens of an upstream naming an Entra ID application come from */
    ExchangeFixture(int retries, FakeTransport transport, int callerCapacity, AccessTokens accessTokens) {
        this.transport = transport;
        this.caller = new FakeCaller(callerCapacity);
        RoutingSettings routing = new RoutingSettings(retries, 100, 5_000, 50, 100, 100, 60_000, 1, false);
        BudgetLedger ledger = new BudgetLedger() {
            @Override
            public boolean reserve(String scope, String scopeId, String periodKey, long micros, long limit) {
                ledgerCalls.add("reserve " + scope + " " + micros);
                onLedgerReserve.run();
                return true;
            }

            @Override
            public void settle(String scope, String scopeId, String periodKey, long reserved, long actual) {
                ledgerCalls.add("settle " + scope + " " + reserved + " -> " + actual);
            }
        };
        Admission admission = new Admission(new ResponseCache(new CacheSettings(0, 0), clock), new TokenEstimator(),
                () -> new PriceTable(Map.of()), new Budgets(ledger, clock),
                new RateLimiter(new LocalBucketStore()), new CircuitBreakers(routing), routing, SETTINGS);
        Work work = task -> {
            if (workFull) {
                return false;
            }
            workRuns++;
            if (workDeferred) {
                deferredWork.add(task);
            } else {
                task.run();
            }
            return true;
        };
        services = new ProxyServices(SETTINGS, PROTECTION, admission, transport, time, work, callLog,
                new OpenAiErrors(), accessTokens);
    }

    static TokenGrant grant(List<String> allowedModels) {
        return grant(allowedModels, RateLimit.NONE, Optional.empty());
    }

    static TokenGrant grant(List<String> allowedModels, RateLimit tokenRate, Optional<Budget> tokenBudget) {
        return grant(allowedModels, tokenRate, tokenBudget, Optional.empty());
    }

    /** A grant whose project sets {@code retry_unsafe} (empty: the instance's setting, false here, decides). */
    static TokenGrant grant(Optional<Boolean> retryUnsafe) {
        return grant(List.of(), RateLimit.NONE, Optional.empty(), retryUnsafe);
    }

    static TokenGrant grant(List<String> allowedModels, RateLimit tokenRate, Optional<Budget> tokenBudget,
                            Optional<Boolean> retryUnsafe) {
        return grant(Provider.OPENAI, PROVIDER_KEY, allowedModels, tokenRate, tokenBudget, retryUnsafe);
    }

    /** A grant of a {@code provider} project whose one upstream has {@code key}. */
    static TokenGrant grant(Provider provider, String key) {
        return grant(provider, key, List.of(), RateLimit.NONE, Optional.empty(), Optional.empty());
    }

    private static TokenGrant grant(Provider provider, String key, List<String> allowedModels, RateLimit tokenRate,
                                    Optional<Budget> tokenBudget, Optional<Boolean> retryUnsafe) {
        UpstreamTarget upstream = new UpstreamTarget("up-1", "default", 1, provider, "http://provider.test",
                key, new ModelAllowlist(List.of()));
        return new TokenGrant("tok-1", "llmp_…oken", "proj-1", Instant.parse("2027-01-01T00:00:00Z"), false, false,
                true, provider, List.of(upstream), new ModelAllowlist(allowedModels), List.of(),
                tokenBudget, Optional.empty(), tokenRate, RateLimit.NONE,
                new ProjectCachePolicy("proj-1", 0, OptionalInt.empty()), retryUnsafe,
                dev.llmproxy.project.Deployments.NONE);
    }

    /** @param extraHeaders more request headers, as name, value, name, value… */
    ProxyExchange exchange(TokenGrant grant, String... extraHeaders) {
        return exchange("POST", grant, extraHeaders);
    }

    ProxyExchange exchange(String method, TokenGrant grant, String... extraHeaders) {
        return exchange(method, "/v1/chat/completions", grant, extraHeaders);
    }

    /** A call on {@code path}, e.g. one of Bedrock's. */
    ProxyExchange exchange(String method, String path, TokenGrant grant, String... extraHeaders) {
        CallRecord call = new CallRecord(clock.instant(), method, path);
        call.grant(grant);
        HttpFields.Mutable built = HttpFields.build().add("Authorization", "Bearer " + PROXY_TOKEN)
                .add("Content-Type", "application/json").add("Cookie", "session=caller");
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            built.add(extraHeaders[i], extraHeaders[i + 1]);
        }
        HttpFields headers = built.asImmutable();
        CallerRequest request = new CallerRequest(method, path, path, "application/json", headers);
        return new ProxyExchange(caller, request, grant, call, services);
    }

    ProxyExchange exchange() {
        return exchange(grant(List.of()));
    }

    static byte[] chat(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}").getBytes();
    }

    RequestRecord onlyRecord() {
        if (records.size() != 1) {
            throw new AssertionError("expected exactly one record, got " + records);
        }
        return records.get(0);
    }

    int inFlight() {
        return callLog.inFlight();
    }

    void runDeferredWork() {
        while (!deferredWork.isEmpty()) {
            deferredWork.remove(0).run();
        }
    }

    InFlight limits() {
        return services.inFlight();
    }

    OpenExchanges exchanges() {
        return services.exchanges();
    }
}
