package dev.llmproxy.usage;

import dev.llmproxy.InvalidFieldException;
import java.util.Locale;

/** How a usage report groups its totals. {@code NONE}: one total. */
public enum GroupBy {
    NONE(null), DAY("day"), PROJECT("project_id"), TOKEN("token_id"), MODEL("model"), API("api");

    private final String column;

    GroupBy(String column) {
        this.column = column;
    }

    /** The column both usage_daily and request_records group by; null for NONE. */
    String column() {
        return column;
    }

    public static GroupBy parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "day" -> DAY;
            case "project" -> PROJECT;
            case "token" -> TOKEN;
            case "model" -> MODEL;
            case "api" -> API;
            default -> throw new InvalidFieldException("group_by", "must be one of day, project, token, model, api");
        };
    }
}
