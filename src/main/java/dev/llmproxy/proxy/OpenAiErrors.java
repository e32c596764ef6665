package dev.llmproxy.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.DomainException;
import dev.llmproxy.provider.Bedrock;
import dev.llmproxy.provider.Gemini;
import dev.llmproxy.provider.VertexAi;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where the proxy path's refusals become responses: OpenAI's error shape
 * {@code {"error":{"message","type","param","code"}}}, and on Anthropic's Messages API ({@code /v1/messages},
 * {@code /v1/messages/count_tokens}) Anthropic's: {@code {"type":"error","error":{"type","message","code"}}} with
 * Anthropic's error types (https://docs.anthropic.com/en/api/errors), and on Gemini's native API ({@code /v1beta/…}
 * but {@code /v1beta/openai/}, {@code /v1/models/{model}:{method}}) Google's
 * {@code {"error":{"code","message","status","details"}}} (https://ai.google.dev/gemini-api/docs/troubleshooting), and
 * on Vertex AI's paths the shape of the API there (Google's, Anthropic's on its Claude models, OpenAI's on its
 * OpenAI-compatible endpoint: {@link VertexAi#googlePath}, {@link VertexAi#anthropicPath}), so
 * a caller of any of these APIs reads the proxy's errors as it reads its provider's. All keep the proxy's stable
 * {@code code} (Google's as the {@code reason} of an {@code ErrorInfo} detail, as Google puts its own). On Bedrock's
 * Runtime API ({@code /model/…}) AWS's: the type in {@code x-amzn-ErrorType}, the body {@code {"message"}}.
 * For a stream whose status is already sent, the same error goes out as its last event ({@link #streamEvent}).
 */
public final class OpenAiErrors {
    /** Where AWS names an error's type, which the AWS SDKs read first (https://smithy.io/2.0/aws/protocols/). */
    static final String AWS_ERROR_TYPE = "x-amzn-ErrorType";
    private final ObjectMapper json = dev.llmproxy.JsonFactories.mapper();

    /** Answers the request with the error, in the shape of the API its path belongs to. */
    public void write(HttpServletRequest request, HttpServletResponse response, DomainException error)
            throws IOException {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        write(uri.startsWith(context) ? uri.substring(context.length()) : uri, response, error);
    }

    /** @param path the request's path within the application, which chooses the shape */
    public void write(String path, HttpServletResponse response, DomainException error) throws IOException {
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
        if (Bedrock.runtimePath(path)) {
            response.setHeader(AWS_ERROR_TYPE, awsErrorType(status));
        }
        byte[] bytes = json.writeValueAsBytes(body(path, error));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The error's JSON body for a request on {@code path}. */
    static Map<String, Object> body(String path, DomainException error) {
        int status = error.kind().status();
        if (anthropic(path)) {
            return anthropicBody(error, status);
        }
        if (Bedrock.runtimePath(path)) {
            return awsBody(error);
        }
        return Gemini.nativePath(path) || VertexAi.googlePath(path) ? googleBody(error, status)
                : openAiBody(error, status);
    }

    /** Anthropic's Messages API (and Vertex AI's Anthropic models), whose SDK expects its own error shape. */
    static boolean anthropic(String path) {
        return path.equals("/v1/messages") || path.startsWith("/v1/messages/") || VertexAi.anthropicPath(path);
    }

    private static Map<String, Object> openAiBody(DomainException error, int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", error.getMessage());
        body.put("type", typeFor(status));
        body.put("param", null);
        body.put("code", error.code());
        return Map.of("error", body);
    }

    private static Map<String, Object> anthropicBody(DomainException error, int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", anthropicTypeFor(status));
        body.put("message", error.getMessage());
        body.put("code", error.code());
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("type", "error");
        outer.put("error", body);
        return outer;
    }

    /** Google's error, as its APIs answer it (https://cloud.google.com/apis/design/errors). */
    private static Map<String, Object> googleBody(DomainException error, int status) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        info.put("reason", error.code());
        info.put("domain", "llm-proxy");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("message", error.getMessage());
        body.put("status", googleStatusFor(status));
        body.put("details", List.of(info));
        return Map.of("error", body);
    }

    /** The google.rpc.Code names by HTTP status (https://cloud.google.com/apis/design/errors#handling_errors). */
    static String googleStatusFor(int status) {
        return switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 408, 504 -> "DEADLINE_EXCEEDED";
            case 409 -> "ABORTED";
            case 402, 429 -> "RESOURCE_EXHAUSTED"; // 402: a budget spent
            case 499 -> "CANCELLED";
            case 405, 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }

    /** AWS's JSON error body (awsJson/restJson protocols): the message, and the proxy's code beside it. */
    private static Map<String, Object> awsBody(DomainException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", error.getMessage());
        body.put("code", error.code());
        return body;
    }

    /**
     * The Bedrock Runtime's error types by status
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors),
     * which the AWS SDKs raise as typed exceptions; a spent budget (429 too) is a ThrottlingException.
     */
    static String awsErrorType(int status) {
        return switch (status) {
            case 401 -> "UnrecognizedClientException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408, 504 -> "ModelTimeoutException";
            case 409 -> "ConflictException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> status >= 500 ? "InternalServerException" : "ValidationException";
        };
    }

    /**
     * The error as the last message of a Bedrock event stream already under way: an exception message
     * ({@code :message-type exception}), {@code ModelStreamErrorException} for a provider's answer that broke off,
     * else the error's own type, which the AWS SDKs raise while the caller reads the stream.
     */
    public byte[] eventStreamException(DomainException error) {
        int status = error.kind().status();
        String type = status == 502 ? "ModelStreamErrorException" : awsErrorType(status);
        try {
            return EventStreamMessage.exception(type, json.writeValueAsBytes(awsBody(error)));
        } catch (IOException e) {
            throw new IllegalStateException("An exception message that cannot be written", e);
        }
    }

    /** Anthropic's error types by status (https://docs.anthropic.com/en/api/errors). */
    static String anthropicTypeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error"; // 503: the proxy (or provider) overloaded or going away
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /**
     * The error as the last event of a stream already under way (its status and headers are sent, so only the body
     * can still say it). On Anthropic's Messages API ({@code /v1/messages}) Anthropic's own error event,
     * {@code event: error} with {@code {"type":"error","error":{"type","message"}}}, which the Anthropic SDKs raise
     * as an error; elsewhere {@code data: {"error":{...}}} in the shape of {@link #write}, which the OpenAI SDKs
     * and Google's {@code @google/genai} raise. All carry the proxy's stable {@code code}. Written after the last
     * whole event the provider sent.
     */
    public byte[] streamEvent(DomainException error, String path) throws IOException {
        String data = json.writeValueAsString(body(path, error));
        return ((anthropic(path) ? "event: error\n" : "") + "data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
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
