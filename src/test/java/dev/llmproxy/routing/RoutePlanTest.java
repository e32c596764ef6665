package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.RoutingSettings;
import dev.llmproxy.project.ModelAllowlist;
import dev.llmproxy.project.Provider;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RoutePlanTest {
    /** One retry, 100 ms back-off, waits up to 5 s; breaker: 50 % of the last 4 calls once 4 were made. */
    private static final RoutingSettings SETTINGS = new RoutingSettings(1, 100, 5_000, 50, 4, 4, 60_000, 1, false);

    /** A GET: every failure worth retrying is retried (what may be retried is RetryPolicyTest's business). */
    private static final RetryPolicy IDEMPOTENT = RetryPolicy.of("GET", false);

    private final CircuitBreakers breakers = new CircuitBreakers(SETTINGS);

    private static UpstreamTarget target(String name, String... models) {
        return new UpstreamTarget(name + "-id", name, 0, Provider.OPENAI, "http://" + name, "k",
                new ModelAllowlist(List.of(models)));
    }

    private final List<UpstreamTarget> upstreams = List.of(target("mini", "gpt-mini*"), target("main"),
            target("backup"));

    @Test
    void onlyUpstreamsServingTheModelAreCandidatesInTheirOrder() {
        RoutePlan plan = RoutePlan.forModel(upstreams, "gpt-4o", breakers, SETTINGS, IDEMPOTENT);
        assertEquals("main", plan.first().orElseThrow().target().name());
        RoutePlan mini = RoutePlan.forModel(upstreams, "gpt-mini-1", breakers, SETTINGS, IDEMPOTENT);
        assertEquals("mini", mini.first().orElseThrow().target().name());
        assertFalse(RoutePlan.forModel(List.of(target("only", "o3*")), "gpt-4o", breakers, SETTINGS, IDEMPOTENT).hasCandidates());
    }

    @Test
    void retriesWithBackoffOrRetryAfterThenFallsBackThenGivesUp() {
        RoutePlan plan = RoutePlan.forModel(upstreams, "gpt-4o", breakers, SETTINGS, IDEMPOTENT);
        RoutePlan.Attempt first = plan.first().orElseThrow();
        first.failed(new IOException("500"));
        RoutePlan.Attempt retry = plan.next(OptionalLong.empty()).orElseThrow();
        assertEquals("main", retry.target().name());
        assertEquals(100, retry.delayMs());
        retry.failed(new IOException("429"));
        RoutePlan.Attempt fallback = plan.next(OptionalLong.of(1_000)).orElseThrow();
        assertEquals("backup", fallback.target().name(), "retries spent: the next upstream");
        assertEquals(0, fallback.delayMs());
        fallback.failed(new IOException("503"));
        RoutePlan.Attempt lastRetry = plan.next(OptionalLong.of(1_000)).orElseThrow();
        assertEquals(1_000, lastRetry.delayMs(), "Retry-After honoured");
        lastRetry.failed(new IOException("503"));
        assertTrue(plan.next(OptionalLong.empty()).isEmpty());
        assertEquals(4, plan.attempts());
    }

    @Test
    void aRetryAfterLongerThanTheMaximumMovesOnAtOnce() {
        RoutePlan plan = RoutePlan.forModel(upstreams, "gpt-4o", breakers, SETTINGS, IDEMPOTENT);
        plan.first().orElseThrow().failed(new IOException("429"));
        RoutePlan.Attempt next = plan.next(OptionalLong.of(60_000)).orElseThrow();
        assertEquals("backup", next.target().name());
        assertEquals(0, next.delayMs());
    }

    @Test
    void anOpenBreakerIsSkippedAndAllOpenMeansNoAttempt() {
        UpstreamTarget main = target("main");
        for (int i = 0; i < 4; i++) {
            RoutePlan plan = RoutePlan.forModel(List.of(main), "m", breakers, SETTINGS, IDEMPOTENT);
            plan.first().orElseThrow().failed(new IOException("500"));
        }
        assertEquals("open", breakers.view(main.id(), 0).state());
        RoutePlan plan = RoutePlan.forModel(List.of(main, target("backup")), "m", breakers, SETTINGS, IDEMPOTENT);
        assertEquals("backup", plan.first().orElseThrow().target().name());
        assertTrue(plan.skippedOpenCircuit());
        assertTrue(RoutePlan.forModel(List.of(main), "m", breakers, SETTINGS, IDEMPOTENT).first().isEmpty(), "all open");
    }

    @Test
    void anAbandonedAttemptSaysNothingAboutTheUpstream() {
        UpstreamTarget main = target("main");
        for (int i = 0; i < 10; i++) {
            RoutePlan.forModel(List.of(main), "m", breakers, SETTINGS, IDEMPOTENT).first().orElseThrow().abandoned();
        }
        assertEquals("closed", breakers.view(main.id(), 0).state());
        assertEquals(0, breakers.view(main.id(), 0).calls());
    }
}
