package dev.llmproxy.admin;

import dev.llmproxy.persistence.Page;
import java.util.List;

/** A list response: {@code {"items":[...],"page":1,"page_size":50,"total":N}}. */
public record PageView<T>(List<T> items, int page, int pageSize, long total) {
    static <T> PageView<T> of(Page<T> page) {
        return new PageView<>(page.items(), page.page(), page.pageSize(), page.total());
    }
}
