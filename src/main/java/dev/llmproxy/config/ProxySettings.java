package dev.llmproxy.config;

import java.util.Map;

/**
 * How the proxy talks to providers.
 *
 * @param maxRequestBodyBytes   larger request bodies are refused with 413 before they are read
 * @param connectTimeoutMs      to open a connection to the provider
 * @param responseTimeoutMs     from sending the request to the provider's response headers (the first byte);
 *                              non-streamed answers of reasoning models can take minutes
 * @param idleTimeoutMs         the longest silence between two chunks of a response; a live stream has no total limit
 * @param anthropicVersion      {@code anthropic-version} sent to Anthropic when the client sends none
 * @param routes                allowed "METHOD /v1/path" patterns per provider id, as configured
 * @param defaultOutputTokens   output tokens a budget reservation assumes when the request sets no cap
 */
public record ProxySettings(int maxRequestBodyBytes, int connectTimeoutMs, int responseTimeoutMs, int idleTimeoutMs,
                            String anthropicVersion, Map<String, String> routes, int defaultOutputTokens) {

    public static final String MAX_REQUEST_BODY_BYTES = "max-request-body-bytes";
    public static final String UPSTREAM_CONNECT_TIMEOUT_MS = "upstream-connect-timeout-ms";
    public static final String UPSTREAM_RESPONSE_TIMEOUT_MS = "upstream-response-timeout-ms";
    public static final String UPSTREAM_IDLE_TIMEOUT_MS = "upstream-idle-timeout-ms";
    public static final String ANTHROPIC_VERSION = "anthropic-version";
    public static final String BUDGET_DEFAULT_OUTPUT_TOKENS = "budget-default-output-tokens";

    /**
     * The Responses API: create, retrieve, cancel, delete and list input items
     * (https://platform.openai.com/docs/api-reference/responses), which vLLM, Ollama and other OpenAI-compatible
     * servers serve too.
     */
    private static final String RESPONSES_ROUTES = "POST /v1/responses, GET /v1/responses/*,"
            + " POST /v1/responses/*/cancel, DELETE /v1/responses/*, GET /v1/responses/*/input_items";

    /** Default routes: the APIs the official SDKs use; {@code *} matches one path segment, a final {@code **} the rest. */
    public static final Map<String, String> DEFAULT_ROUTES = Map.of(
            "openai", "POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, " + RESPONSES_ROUTES
                    + ", POST /v1/moderations, GET /v1/models, GET /v1/models/*",
            "anthropic", "POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models, GET /v1/models/*",
            "openai-compatible", "POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, "
                    + RESPONSES_ROUTES + ", GET /v1/models, GET /v1/models/*");

    static ProxySettings read(SettingsReader reader) {
        Map<String, String> routes = new java.util.TreeMap<>();
        DEFAULT_ROUTES.forEach((provider, fallback) ->
                routes.put(provider, reader.optionalString(routesKey(provider)).orElse(fallback)));
        return new ProxySettings(
                reader.integer(MAX_REQUEST_BODY_BYTES, 32 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.integer(UPSTREAM_CONNECT_TIMEOUT_MS, 10_000, 100, 300_000),
                reader.integer(UPSTREAM_RESPONSE_TIMEOUT_MS, 600_000, 100, 3_600_000),
                reader.integer(UPSTREAM_IDLE_TIMEOUT_MS, 120_000, 100, 3_600_000),
                reader.optionalString(ANTHROPIC_VERSION).orElse("2023-06-01"),
                Map.copyOf(routes),
                reader.integer(BUDGET_DEFAULT_OUTPUT_TOKENS, 4096, 1, 1_000_000));
    }

    /** e.g. {@code openai-routes} */
    public static String routesKey(String providerId) {
        return providerId + "-routes";
    }
}
