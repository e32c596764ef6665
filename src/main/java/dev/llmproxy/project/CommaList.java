package dev.llmproxy.project;

import java.util.List;

/** How lists of validated names (model globs, origins) are kept in one column: comma-joined, NULL when empty. */
final class CommaList {
    private CommaList() {
    }

    static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    static String join(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }
}
