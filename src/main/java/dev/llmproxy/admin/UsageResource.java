package dev.llmproxy.admin;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.usage.GroupBy;
import dev.llmproxy.usage.RejectedRecords;
import dev.llmproxy.usage.UsageFilter;
import dev.llmproxy.usage.UsageReports;
import dev.llmproxy.usage.UsageTotals;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /manage/usage}: totals per day, project, token, model or API ({@code responses}, {@code chat.completions}, …), the raw request records, and the records the
 * database refused (set aside, see UsageRecorder).
 */
@Path("usage")
@Produces(MediaType.APPLICATION_JSON)
public final class UsageResource {
    private final UsageReports reports;
    private final RejectedRecords rejected;

    public UsageResource(UsageReports reports, RejectedRecords rejected) {
        this.reports = reports;
        this.rejected = rejected;
    }

    @GET
    public Map<String, Object> totals(@QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("project_id") String projectId,
                                      @QueryParam("token_id") String tokenId, @QueryParam("model") String model,
                                      @QueryParam("api") String api,
                                      @QueryParam("group_by") String groupBy) throws SQLException {
        UsageFilter filter = filter(from, to, projectId, tokenId, model, api);
        GroupBy grouping = GroupBy.parse(groupBy);
        Map<String, UsageTotals> totals = reports.totals(filter, grouping);
        List<Map<String, Object>> groups = new ArrayList<>();
        UsageTotals sum = UsageTotals.ZERO;
        for (var entry : totals.entrySet()) {
            Map<String, Object> group = new LinkedHashMap<>();
            if (grouping != GroupBy.NONE) {
                group.put(grouping.name().toLowerCase(java.util.Locale.ROOT), entry.getKey());
            }
            group.putAll(view(entry.getValue()));
            groups.add(group);
            sum = sum.plus(entry.getValue());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", filter.from().map(Instant::toString).orElse(null));
        body.put("to", filter.to().map(Instant::toString).orElse(null));
        body.put("group_by", grouping == GroupBy.NONE ? null : grouping.name().toLowerCase(java.util.Locale.ROOT));
        body.put("groups", groups);
        body.put("total", view(sum));
        return body;
    }

    @GET
    @Path("requests")
    public PageView<Map<String, Object>> requests(@QueryParam("from") String from, @QueryParam("to") String to,
                                                  @QueryParam("project_id") String projectId,
                                                  @QueryParam("token_id") String tokenId,
                                                  @QueryParam("model") String model,
                                                  @QueryParam("api") String api,
                                                  @QueryParam("page") String page,
                                                  @QueryParam("page_size") String pageSize) throws SQLException {
        return PageView.of(reports.requests(filter(from, to, projectId, tokenId, model, api),
                PageRequest.parse(page, pageSize)));
    }

    @GET
    @Path("rejected")
    public PageView<Map<String, Object>> rejected(@QueryParam("page") String page,
                                                  @QueryParam("page_size") String pageSize) throws SQLException {
        return PageView.of(rejected.list(PageRequest.parse(page, pageSize)));
    }

    private static Map<String, Object> view(UsageTotals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", t.requests());
        m.put("errors", t.errors());
        m.put("prompt_tokens", t.promptTokens());
        m.put("completion_tokens", t.completionTokens());
        m.put("cached_tokens", t.cachedTokens());
        m.put("cache_write_tokens", t.cacheWriteTokens());
        m.put("reasoning_tokens", t.reasoningTokens());
        m.put("total_tokens", t.totalTokens());
        m.put("cost_micros", t.costMicros());
        m.put("cost_usd", BigDecimal.valueOf(t.costMicros(), 6).toPlainString());
        m.put("unpriced_requests", t.unpricedRequests());
        return m;
    }

    static UsageFilter filter(String from, String to, String projectId, String tokenId, String model, String api) {
        return new UsageFilter(instant("from", from), instant("to", to), present(projectId), present(tokenId),
                present(model), present(api));
    }

    /** An ISO-8601 instant, or a date meaning its start (UTC). */
    private static Optional<Instant> instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, "must be an ISO-8601 instant (2026-11-01T00:00:00Z) or date (2026-11-01)");
        }
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
