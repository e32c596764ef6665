package dev.llmproxy.persistence;

import java.util.List;
import java.util.function.Function;

/** One page of results and the total count, as the admin API returns lists. */
public record Page<T>(List<T> items, int page, int pageSize, long total) {
    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), page, pageSize, total);
    }
}
