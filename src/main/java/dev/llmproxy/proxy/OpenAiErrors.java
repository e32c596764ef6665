package dev.llmproxy.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.DomainException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where the proxy path's refusals become responses: OpenAI's error shape
 * {@code {"error":{"message","type","code"}}}, which both the OpenAI and the Anthropic SDKs surface as typed
 * errors by status.
 */
public final class OpenAiErrors {
    private final ObjectMapper json = new ObjectMapper();

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
