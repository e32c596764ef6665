package dev.llmproxy.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.DomainException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where the proxy path's refusals become responses: OpenAI's error shape
 * {@code {"error":{"message","type","code"}}}, which both the OpenAI and the Anthropic SDKs surface as typed
 * errors by status; and, for a stream whose status is already sent, the same error as its last event.
 */
public final class OpenAiErrors {
    private final ObjectMapper json = dev.llmproxy.JsonFactories.mapper();

    public void write(HttpServletResponse response, DomainException error) throws IOException {
        int status = error.kind().status();
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"llm-proxy\"");
        }
        if (error instanceof dev.llmproxy.limits.RateLimitedException limited) {
            limited.headers().forEach(response::setHeader); // Retry-After and x-ratelimit-*
        }
        if (error instanceof ProxyRefusal refusal && refusal.allow() != null) {
            response.setHeader("Allow", refusal.allow());
        }
        if (error.retryAfterSeconds() != null) {
            response.setHeader("Retry-After", String.valueOf(error.retryAfterSeconds()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", error.getMessage());
        body.put("type", typeFor(status));
        body.put("param", null);
        body.put("code", error.code());
        byte[] bytes = json.writeValueAsBytes(Map.of("error", body));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * The error as the last event of a stream already under way (its status and headers are sent, so only the body
     * can still say it). On Anthropic's Messages API ({@code /v1/messages}) Anthropic's own error event,
     * {@code event: error} with {@code {"type":"error","error":{"type","message"}}}, which the Anthropic SDKs raise
     * as an error; elsewhere OpenAI's {@code data: {"error":{...}}} (the shape of {@link #write}), which the OpenAI
     * SDKs raise. Both carry the proxy's stable {@code code}. Written after the last whole event the provider sent.
     */
    public byte[] streamEvent(DomainException error, String path) throws IOException {
        int status = error.kind().status();
        Map<String, Object> body = new LinkedHashMap<>();
        if (path.startsWith("/v1/messages")) {
            body.put("type", anthropicTypeFor(status));
            body.put("message", error.getMessage());
            body.put("code", error.code());
            return ("event: error\ndata: " + json.writeValueAsString(Map.of("type", "error", "error", body)) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        body.put("message", error.getMessage());
        body.put("type", typeFor(status));
        body.put("param", null);
        body.put("code", error.code());
        return ("data: " + json.writeValueAsString(Map.of("error", body)) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Anthropic's error types by status (https://docs.anthropic.com/en/api/errors). */
    static String anthropicTypeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /** OpenAI's error types by status. */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            case 400, 404, 405, 408, 409, 413, 415 -> "invalid_request_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
