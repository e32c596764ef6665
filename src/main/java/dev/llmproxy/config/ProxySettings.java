package dev.llmproxy.config;

import java.util.List;
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
 * @param routes                allowed "METHOD /path" patterns per provider id where configured; the others
 *                              have their provider's default routes
 * @param defaultOutputTokens   output tokens a budget reservation assumes when the request sets no cap
 * @param bedrockRegion         the AWS region of Bedrock upstreams whose base URL names none (the default base URL's
 *                              {@code {region}}, and the region requests are signed for)
 */
public record ProxySettings(int maxRequestBodyBytes, int connectTimeoutMs, int responseTimeoutMs, int idleTimeoutMs,
                            String anthropicVersion, Map<String, String> routes, int defaultOutputTokens,
                            String bedrockRegion) {

    public static final String MAX_REQUEST_BODY_BYTES = "max-request-body-bytes";
    public static final String UPSTREAM_CONNECT_TIMEOUT_MS = "upstream-connect-timeout-ms";
    public static final String UPSTREAM_RESPONSE_TIMEOUT_MS = "upstream-response-timeout-ms";
    public static final String UPSTREAM_IDLE_TIMEOUT_MS = "upstream-idle-timeout-ms";
    public static final String ANTHROPIC_VERSION = "anthropic-version";
    public static final String BUDGET_DEFAULT_OUTPUT_TOKENS = "budget-default-output-tokens";
    public static final String BEDROCK_REGION = "bedrock-region";
    /** An AWS region's name: {@code us-east-1}, {@code eu-central-2}, {@code us-gov-west-1}, {@code ap-southeast-7}. */
    public static final java.util.regex.Pattern AWS_REGION = java.util.regex.Pattern.compile(
            "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$");

    /**
     * The providers whose routes can be configured ({@code <id>-routes}); their defaults are in their definitions
     * (package {@code provider}). ProvidersTest checks that this lists every provider.
     */
    public static final List<String> ROUTED_PROVIDERS = List.of("openai", "anthropic", "openai-compatible",
            "azure-openai", "gemini", "vertex-ai", "bedrock");

    static ProxySettings read(SettingsReader reader) {
        Map<String, String> routes = new java.util.TreeMap<>();
        for (String provider : ROUTED_PROVIDERS) {
            reader.optionalString(routesKey(provider)).ifPresent(spec -> routes.put(provider, spec));
        }
        return new ProxySettings(
                reader.integer(MAX_REQUEST_BODY_BYTES, 32 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.integer(UPSTREAM_CONNECT_TIMEOUT_MS, 10_000, 100, 300_000),
                reader.integer(UPSTREAM_RESPONSE_TIMEOUT_MS, 600_000, 100, 3_600_000),
                reader.integer(UPSTREAM_IDLE_TIMEOUT_MS, 120_000, 100, 3_600_000),
                reader.optionalString(ANTHROPIC_VERSION).orElse("2023-06-01"),
                Map.copyOf(routes),
                reader.integer(BUDGET_DEFAULT_OUTPUT_TOKENS, 4096, 1, 1_000_000),
                bedrockRegion(reader));
    }

    private static String bedrockRegion(SettingsReader reader) {
        var raw = reader.raw(BEDROCK_REGION);
        if (raw.isPresent() && !AWS_REGION.matcher(raw.get().value()).matches()) {
            throw new InvalidSettingException(BEDROCK_REGION, raw.get().origin(),
                    "must be an AWS region's name such as us-east-1, not '" + raw.get().value() + "'");
        }
        return raw.map(SettingsReader.Raw::value).orElse("us-east-1");
    }

    /** e.g. {@code openai-routes} */
    public static String routesKey(String providerId) {
        return providerId + "-routes";
    }
}
