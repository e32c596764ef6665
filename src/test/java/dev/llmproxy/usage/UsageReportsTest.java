package dev.llmproxy.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.persistence.PageRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import dev.llmproxy.testing.MigratedSqlite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports over four days of records on SQLite: whatever the range's edges, rollup plus raw edges must equal the
 * sum over the raw records themselves.
 */
class UsageReportsTest {
    private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    @TempDir
    Path dir;
    private UsageReports reports;
    private UsageStore store;
    private final List<RequestRecord> all = new ArrayList<>();

    @BeforeEach
    void load() throws Exception {
        var ds = MigratedSqlite.at(dir.resolve("usage.db"));
        store = new UsageStore(ds, new RejectedRecords(ds, java.time.Clock.systemUTC()));
        reports = new UsageReports(ds, Clock.fixed(DAY0.plus(Duration.ofDays(4)), ZoneOffset.UTC));
        for (int hour = 0; hour < 96; hour += 3) {
            String project = hour % 2 == 0 ? "p1" : "p2";
            String model = hour % 9 == 0 ? "gpt-4o" : "claude-sonnet-4-5";
            all.add(new RequestRecord(UUID.randomUUID().toString(), DAY0.plus(Duration.ofHours(hour)), project, "t-" + project,
                    "openai", model, "POST", "/v1/chat/completions", hour / 3 % 2 == 0 ? "responses" : "chat.completions", hour % 7 == 0 ? 500 : 200, null, false, 10, 20,
                    new TokenUsage(hour + 1, 2, 0, 0, hour % 2, false), (long) hour, false, "default", 1, false));
        }
        store.write(all.subList(0, 10));
        store.write(all.subList(10, all.size()));
        store.write(all.subList(5, 15)); // a retried batch: idempotent
    }

    private long rawRequests(Instant from, Instant to, String project) {
        return all.stream().filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
                .filter(r -> project == null || r.projectId().equals(project)).count();
    }

    private long rawPrompt(Instant from, Instant to) {
        return all.stream().filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
                .mapToLong(r -> r.usage().promptTokens()).sum();
    }

    private UsageFilter range(Instant from, Instant to, String project) {
        return new UsageFilter(Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(project),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void anyRangeSumsTheSameAsTheRawRecords() throws Exception {
        Instant[][] ranges = {
                {DAY0, DAY0.plus(Duration.ofDays(4))},                                  // whole days only
                {DAY0.plus(Duration.ofHours(5)), DAY0.plus(Duration.ofHours(80))},      // partial both ends
                {DAY0.plus(Duration.ofHours(13)), DAY0.plus(Duration.ofHours(29))},     // crosses one midnight
                {DAY0.plus(Duration.ofHours(2)), DAY0.plus(Duration.ofHours(7))},       // within one day
                {DAY0.plus(Duration.ofDays(1)), DAY0.plus(Duration.ofHours(50))},       // aligned start
        };
        for (Instant[] r : ranges) {
            UsageTotals total = reports.totals(range(r[0], r[1], null), GroupBy.NONE).get("");
            assertEquals(rawRequests(r[0], r[1], null), total.requests(), r[0] + ".." + r[1]);
            assertEquals(rawPrompt(r[0], r[1]), total.promptTokens(), r[0] + ".." + r[1]);
            long byDay = reports.totals(range(r[0], r[1], null), GroupBy.DAY).values().stream()
                    .mapToLong(UsageTotals::requests).sum();
            assertEquals(total.requests(), byDay, "grouping by day loses nothing");
            assertEquals(rawRequests(r[0], r[1], "p1"),
                    reports.totals(range(r[0], r[1], "p1"), GroupBy.NONE).getOrDefault("", UsageTotals.ZERO).requests());
        }
    }

    @Test
    void groupsAreKeyedByDayModelAndProject() throws Exception {
        Map<String, UsageTotals> byDay = reports.totals(range(DAY0, null, null), GroupBy.DAY);
        assertEquals(List.of("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"), List.copyOf(byDay.keySet()));
        Map<String, UsageTotals> byModel = reports.totals(range(null, null, null), GroupBy.MODEL);
        assertEquals(all.stream().filter(r -> r.model().equals("gpt-4o")).count(), byModel.get("gpt-4o").requests());
        Map<String, UsageTotals> byProject = reports.totals(range(null, null, null), GroupBy.PROJECT);
        assertEquals(all.size(), byProject.get("p1").requests() + byProject.get("p2").requests());
        long errors = all.stream().filter(RequestRecord::isError).count();
        assertEquals(errors, byProject.get("p1").errors() + byProject.get("p2").errors());
    }

    @Test
    void groupsAndFiltersByApiAgreeBetweenTheRollupAndRawRecords() throws Exception {
        // whole days from the rollup, the edges from raw records: the API is kept in both
        Instant from = DAY0.plus(Duration.ofHours(5));
        Instant to = DAY0.plus(Duration.ofHours(80));
        Map<String, UsageTotals> byApi = reports.totals(range(from, to, null), GroupBy.API);
        for (String api : List.of("responses", "chat.completions")) {
            List<RequestRecord> raw = all.stream().filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
                    .filter(r -> r.api().equals(api)).toList();
            assertEquals(raw.size(), byApi.get(api).requests(), api);
            assertEquals(raw.stream().mapToLong(r -> r.usage().reasoningTokens()).sum(),
                    byApi.get(api).reasoningTokens(), api);
            UsageFilter only = new UsageFilter(Optional.of(from), Optional.of(to), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(api));
            assertEquals(raw.size(), reports.totals(only, GroupBy.NONE).get("").requests(), api);
            assertEquals(raw.size(), reports.requests(only, new PageRequest(1, 100)).items().size(), api);
        }
        assertEquals(Set.of("responses", "chat.completions"), byApi.keySet());
        assertEquals(GroupBy.API, GroupBy.parse("API"));
    }

    @Test
    void requestsArePagedNewestFirst() throws Exception {
        var page = reports.requests(range(null, null, "p2"), new PageRequest(1, 5));
        assertEquals(all.stream().filter(r -> r.projectId().equals("p2")).count(), page.total());
        assertEquals(5, page.items().size());
        assertEquals(DAY0.plus(Duration.ofHours(93)).toString(), page.items().get(0).get("created_at"));
    }

    @Test
    void pruningRemovesRawRecordsButKeepsDailyTotals() throws Exception {
        long before = reports.totals(range(DAY0, DAY0.plus(Duration.ofDays(2)), null), GroupBy.NONE).get("").requests();
        store.pruneBefore(DAY0.plus(Duration.ofDays(2)), 7);
        assertEquals(before, reports.totals(range(DAY0, DAY0.plus(Duration.ofDays(2)), null), GroupBy.NONE).get("")
                .requests(), "whole days come from the rollup");
        assertEquals(0, reports.requests(range(DAY0, DAY0.plus(Duration.ofDays(2)), null), new PageRequest(1, 10)).total());
    }
}
