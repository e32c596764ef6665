package dev.llmproxy.usage;

/** Sums over a group of records; {@code reasoningTokens} are a part of {@code completionTokens}. */
public record UsageTotals(long requests, long errors, long promptTokens, long completionTokens, long cachedTokens,
                          long cacheWriteTokens, long reasoningTokens, long totalTokens, long costMicros,
                          long unpricedRequests) {
    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public UsageTotals plus(UsageTotals o) {
        return new UsageTotals(requests + o.requests, errors + o.errors, promptTokens + o.promptTokens,
                completionTokens + o.completionTokens, cachedTokens + o.cachedTokens,
                cacheWriteTokens + o.cacheWriteTokens, reasoningTokens + o.reasoningTokens, totalTokens + o.totalTokens,
                costMicros + o.costMicros, unpricedRequests + o.unpricedRequests);
    }
}
