package dev.llmproxy.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Problem details (RFC 9457) with two extension members: {@code code}, a stable machine-readable string, and
 * {@code field}, the request field at fault where there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String field) {
    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(int status, String title, String code, String detail, String field) {
        return new Problem("urn:llm-proxy:problem:" + code, title, status, detail, code, field);
    }
}
