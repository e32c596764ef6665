package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.usage.UsageDialect;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Vertex AI (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest): the base URL is a
 * location's endpoint ({@code https://{location}-aiplatform.googleapis.com}) or the global one (the default). Callers
 * use, under {@code /v1} or {@code /v1beta1}:
 * <ul>
 * <li>Gemini models, {@code /projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent}
 *     ({@code :streamGenerateContent?alt=sse}, {@code :countTokens}), or without the project and location (express
 *     mode), what {@code @google/genai} sends with {@code vertexai: true}: Gemini's bodies, usage and errors
 *     ({@link Gemini});</li>
 * <li>Anthropic's models, {@code …/publishers/anthropic/models/{model}:rawPredict} and {@code :streamRawPredict}
 *     (https://docs.anthropic.com/en/api/claude-on-vertex-ai), what {@code @anthropic-ai/vertex-sdk} sends:
 *     Anthropic's Messages bodies, streams, usage and errors;</li>
 * <li>Google's OpenAI-compatible endpoint, {@code …/locations/{location}/endpoints/openapi/chat/completions}
 *     (https://cloud.google.com/vertex-ai/generative-ai/docs/migrate/openai/overview): OpenAI's.</li>
 * </ul>
 * The model is the path's (but on the OpenAI-compatible endpoint, the body's). The key is a service account's JSON
 * key ({@link GoogleServiceAccount}), whose access token goes in {@code Authorization: Bearer}, or an express mode API
 * key, sent in {@code x-goog-api-key}.
 */
public final class VertexAi implements ProviderDefinition {
    private static final String VERSION = "/v1(?:beta1)?";
    private static final String PROJECT_LOCATION = "/projects/[^/]+/locations/[^/]+";
    private static final String LOCATED = VERSION + PROJECT_LOCATION;
    /** A publisher's model and method: {@code publishers/google/models/gemini-2.5-flash:generateContent}. */
    private static final Pattern MODEL_CALL = Pattern.compile("^" + VERSION + "(?:" + PROJECT_LOCATION + ")?"
            + "/publishers/(google|anthropic)/models/([^/]+):([A-Za-z]+)$");
    private static final Pattern OPENAI = Pattern.compile("^" + LOCATED + "/endpoints/openapi(/.*)$");
    private static final String GOOGLE_METHODS = "generateContent, streamGenerateContent, countTokens";
    private static final String ANTHROPIC_METHODS = "rawPredict, streamRawPredict";
    /** Anthropic's token count on Vertex AI, {@code …/publishers/anthropic/models/count-tokens:rawPredict}. */
    private static final String ANTHROPIC_COUNT = "count-tokens";

    @Override
    public String id() {
        return "vertex-ai";
    }

    /** The global endpoint; a location's is {@code https://{location}-aiplatform.googleapis.com}. */
    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.of("https://aiplatform.googleapis.com");
    }

    @Override
    public String defaultRoutes() {
        StringBuilder routes = new StringBuilder();
        for (String version : new String[] {"/v1", "/v1beta1"}) {
            String located = version + "/projects/*/locations/*";
            for (String method : GOOGLE_METHODS.split(", ")) {
                routes.append("POST ").append(located).append("/publishers/google/models/*:").append(method)
                        .append(", POST ").append(version).append("/publishers/google/models/*:").append(method)
                        .append(", ");
            }
            for (String method : ANTHROPIC_METHODS.split(", ")) {
                routes.append("POST ").append(located).append("/publishers/anthropic/models/*:").append(method)
                        .append(", ");
            }
            routes.append("POST ").append(located).append("/endpoints/openapi/chat/completions, ");
        }
        return routes.substring(0, routes.length() - 2);
    }

    /** The endpoint's root; callers' paths bring the version, project and location. */
    @Override
    public Optional<String> baseUrlProblem(String baseUrl) {
        return baseUrl.endsWith("/v1") || baseUrl.endsWith("/v1beta1") || baseUrl.contains("/projects/")
                ? Optional.of("is the endpoint's root (https://{location}-aiplatform.googleapis.com); drop the path")
                : Optional.empty();
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.VERTEX_AI;
    }

    /** An express mode API key (https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode). */
    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        headers.put("x-goog-api-key", apiKey);
    }

    @Override
    public Optional<String> apiKeyProblem(String apiKey) {
        return GoogleServiceAccount.problem(apiKey);
    }

    /** A service account's e-mail (no secret, and what names it in Google Cloud's console); else the generic hint. */
    @Override
    public Optional<String> keyHint(String apiKey) {
        return GoogleServiceAccount.of(apiKey).map(GoogleServiceAccount::clientEmail);
    }

    @Override
    public Optional<GoogleServiceAccount> tokenCredential(String apiKey) {
        return GoogleServiceAccount.of(apiKey);
    }

    /** The OpenAI-compatible endpoint's {@code …/endpoints/openapi/chat/completions}: {@code /v1/chat/completions}. */
    @Override
    public String canonicalPath(String path) {
        Matcher m = OPENAI.matcher(path);
        return m.matches() ? "/v1" + m.group(1) : path;
    }

    /** The OpenAI-compatible endpoint streams usage when asked (stream_options.include_usage). */
    @Override
    public boolean asksForStreamUsage() {
        return true;
    }

    @Override
    public UsageDialect usage(String path) {
        if (OPENAI.matcher(path).matches()) {
            return UsageDialect.OPENAI;
        }
        return anthropicPath(path) ? UsageDialect.ANTHROPIC : UsageDialect.GEMINI;
    }

    @Override
    public boolean anthropicPrompt(String path) {
        return anthropicPath(path);
    }

    /** Gemini's {@code countTokens} and Anthropic's {@code count-tokens:rawPredict} only count. */
    @Override
    public boolean generates(String method, String path) {
        Matcher m = MODEL_CALL.matcher(path);
        boolean counts = m.matches() && (m.group(3).equals("countTokens") || m.group(2).equals(ANTHROPIC_COUNT));
        return method.equals("POST") && !counts;
    }

    /**
     * The model of {@code …/publishers/{publisher}/models/{model}:{method}}; none for Anthropic's token count,
     * whose body names it.
     */
    @Override
    public Optional<String> modelInPath(String path) {
        Matcher m = MODEL_CALL.matcher(path);
        return m.matches() && !m.group(2).equals(ANTHROPIC_COUNT) ? Optional.of(m.group(2)) : Optional.empty();
    }

    /**
     * Whether {@code path} is one of Vertex AI's own (not the OpenAI-compatible endpoint's nor Anthropic's), whose
     * callers expect Google's error shape: any path under {@code /v1beta1}, or {@code /v1/projects/…} and
     * {@code /v1/publishers/…} (so that a malformed one is answered in that shape too).
     */
    public static boolean googlePath(String path) {
        boolean vertex = path.startsWith("/v1beta1/") || path.equals("/v1beta1") || path.startsWith("/v1/projects/")
                || path.startsWith("/v1/publishers/");
        return vertex && !anthropicPath(path) && !path.contains("/endpoints/openapi/");
    }

    /** Anthropic's models on Vertex AI, whose callers (the Anthropic SDK) expect Anthropic's error shape. */
    public static boolean anthropicPath(String path) {
        return (path.startsWith("/v1/") || path.startsWith("/v1beta1/")) && path.contains("/publishers/anthropic/");
    }
}
