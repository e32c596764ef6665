package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.usage.UsageDialect;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Gemini API with an AI Studio key (https://ai.google.dev/api): the native paths
 * ({@code /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse}, {@code :countTokens}, the
 * model list; the same under {@code /v1}), what the {@code @google/genai} SDK sends, with the model in the path and
 * usage in {@code usageMetadata}; and Google's OpenAI-compatible paths under {@code /v1beta/openai/}
 * (https://ai.google.dev/gemini-api/docs/openai: an OpenAI client with base URL {@code {proxy}/v1beta/openai}), which
 * take OpenAI's bodies and report OpenAI's usage. The key goes in {@code x-goog-api-key} on both. {@link VertexAi}
 * reads the same bodies and usage on its own paths, with a service account's OAuth token.
 */
public final class Gemini implements ProviderDefinition {
    /** {@code /v1beta/models/{model}:{method}}: the model is all before the last colon of its segment. */
    private static final Pattern NATIVE_CALL = Pattern.compile("^/v1(?:beta)?/models/([^/]+):([A-Za-z]+)$");
    /** The native API's routes, under {@code /v1beta} and {@code /v1} (https://ai.google.dev/api). */
    private static final String NATIVE_ROUTES = "POST {version}/models/*:generateContent,"
            + " POST {version}/models/*:streamGenerateContent, POST {version}/models/*:countTokens,"
            + " GET {version}/models, GET {version}/models/*";
    /** Google's OpenAI-compatible API (https://ai.google.dev/gemini-api/docs/openai). */
    static final String OPENAI_COMPATIBLE = "/v1beta/openai/";

    @Override
    public String id() {
        return "gemini";
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.of("https://generativelanguage.googleapis.com");
    }

    @Override
    public String defaultRoutes() {
        StringBuilder routes = new StringBuilder();
        for (String version : new String[] {"/v1beta", "/v1"}) {
            routes.append(NATIVE_ROUTES.replace("{version}", version)).append(", ");
        }
        return routes.append("POST /v1beta/openai/chat/completions, POST /v1beta/openai/embeddings,"
                + " GET /v1beta/openai/models, GET /v1beta/openai/models/*").toString();
    }

    /** The API's root, as Google documents it; callers' paths bring the version. */
    @Override
    public Optional<String> baseUrlProblem(String baseUrl) {
        return baseUrl.endsWith("/v1beta") || baseUrl.endsWith("/v1") || baseUrl.endsWith("/openai")
                ? Optional.of("is the API's root (https://generativelanguage.googleapis.com); drop the version")
                : Optional.empty();
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.GEMINI;
    }

    /** Both APIs take the key in {@code x-goog-api-key} (the OpenAI-compatible one a bearer key too). */
    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        headers.put("x-goog-api-key", apiKey);
    }

    /** {@code /v1beta/openai/chat/completions}: {@code /v1/chat/completions}, whose rules (stream usage) apply. */
    @Override
    public String canonicalPath(String path) {
        return path.startsWith(OPENAI_COMPATIBLE) ? "/v1/" + path.substring(OPENAI_COMPATIBLE.length()) : path;
    }

    /** Google's OpenAI-compatible chat completions stream usage when asked (stream_options.include_usage). */
    @Override
    public boolean asksForStreamUsage() {
        return true;
    }

    @Override
    public UsageDialect usage(String path) {
        return path.startsWith(OPENAI_COMPATIBLE) ? UsageDialect.OPENAI : UsageDialect.GEMINI;
    }

    /** {@code countTokens} only counts (https://ai.google.dev/api/tokens: it is free of charge). */
    @Override
    public boolean generates(String method, String path) {
        Matcher m = NATIVE_CALL.matcher(path);
        return method.equals("POST") && !(m.matches() && m.group(2).equals("countTokens"));
    }

    /** The model of {@code /v1beta/models/{model}:{method}}. */
    @Override
    public Optional<String> modelInPath(String path) {
        Matcher m = NATIVE_CALL.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether {@code path} is one of the native API's, whose callers expect Google's error shape. */
    public static boolean nativePath(String path) {
        return (path.startsWith("/v1beta/") || path.equals("/v1beta")) && !path.startsWith(OPENAI_COMPATIBLE)
                || NATIVE_CALL.matcher(path).matches();
    }
}
