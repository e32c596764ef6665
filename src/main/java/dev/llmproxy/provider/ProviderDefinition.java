package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.util.Optional;

/**
 * One provider as the proxy knows it. Adding a provider means one implementation of this interface, its constant in
 * {@code project.Provider} and its tests (docs/architecture.md, "Adding a provider").
 */
public interface ProviderDefinition {
    /** The name used in the admin API, the database, settings ({@code <id>-routes}) and records. */
    String id();

    /** The base URL used when an upstream names none; empty when every upstream must name its own. */
    Optional<String> defaultBaseUrl();

    /**
     * The routes proxied by default, {@code METHOD /path} entries separated by commas ({@code *} one segment, a final
     * {@code **} the rest); the {@code <id>-routes} setting replaces them.
     */
    String defaultRoutes();

    ApiFamily family();

    /**
     * Why {@code baseUrl} (absolute, without a trailing slash) cannot be this provider's, when it holds a part of the
     * paths the proxy adds itself; empty when it can.
     */
    default Optional<String> baseUrlProblem(String baseUrl) {
        return Optional.empty();
    }

    /**
     * The base URL as it is called: a default base URL's placeholder filled from the settings (Bedrock's
     * {@code {region}}); most providers' as they are.
     */
    default String resolvedBaseUrl(String baseUrl, ProxySettings settings) {
        return baseUrl;
    }

    /** The URL of the provider's answer to a caller's path (with its query), at {@code baseUrl}. */
    default String upstreamUrl(String baseUrl, String pathAndQuery) {
        return baseUrl + pathAndQuery;
    }

    /** Puts the upstream's key (and any header the provider requires) where the provider expects it. */
    void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers);

    /**
     * Signs an attempt's request whose headers are otherwise final (credentials in), over its method, URL, headers
     * and body, putting the signature into its headers; called for every attempt afresh, so that a retry or a
     * failover has its own date. Most providers need none (their key is a header: {@link #applyCredentials}); Bedrock
     * signs with AWS Signature Version 4. A failure (credentials that cannot be had) is thrown: nothing is sent.
     */
    default void sign(String apiKey, SigningContext context, SignableRequest request) {
    }

    /** Why {@code apiKey} cannot be an upstream's key for this provider (it repeats none of it); empty when it can. */
    default Optional<String> apiKeyProblem(String apiKey) {
        return Optional.empty();
    }

    /**
     * What the admin API shows of a valid {@code apiKey} instead of the generic hint (its first three and last four
     * characters), where those would show part of a secret that is not the key's start or end: the part that names the
     * credentials and is no secret. Empty: the generic hint.
     */
    default Optional<String> keyHint(String apiKey) {
        return Optional.empty();
    }

    /**
     * The credentials a key holds, where the provider is called with an access token they get instead of the key
     * (Azure's Entra ID application, Vertex AI's service account); empty: the key goes as it is
     * ({@link #applyCredentials}).
     */
    default Optional<? extends TokenCredential> tokenCredential(String apiKey) {
        return Optional.empty();
    }

    /** Puts an access token got for {@link #tokenCredential} where the provider expects it. */
    default void applyAccessToken(String accessToken, UpstreamHeaders headers) {
        headers.put("Authorization", "Bearer " + accessToken);
    }

    /**
     * Whether a streamed Chat Completions or Completions request that does not ask for usage is rewritten to ask
     * for it ({@code stream_options.include_usage}), so that the record has the provider's own count.
     */
    default boolean asksForStreamUsage() {
        return family().usage() == dev.llmproxy.usage.UsageDialect.OPENAI;
    }

    /**
     * The path as OpenAI's or Anthropic's API names the same call ({@code /v1/chat/completions}), for the rules
     * that depend on which call it is (usage asked for in streams, which answers may be cached).
     */
    default String canonicalPath(String path) {
        return path;
    }

    /**
     * How the answer to a call on {@code path} reports usage: the family's way, unless the provider serves another
     * family's API beside its own (Gemini's OpenAI-compatible paths).
     */
    default dev.llmproxy.usage.UsageDialect usage(String path) {
        return family().usage();
    }

    /**
     * Whether a {@code method} call on {@code path} may make the provider generate (and bill) tokens, so that its
     * record takes the answer's usage: a POST, unless the provider says that one only counts (Gemini's
     * {@code countTokens}). A GET or DELETE reads or removes what an earlier call made.
     */
    default boolean generates(String method, String path) {
        return method.equals("POST");
    }

    /**
     * Whether the prompt of a call on {@code path} is read the Anthropic way ({@code system} beside
     * {@code messages}): the family's way, unless the provider serves Anthropic's API beside its own (Vertex AI).
     */
    default boolean anthropicPrompt(String path) {
        return family().anthropicPrompt();
    }

    /** Whether a call on {@code path} is answered as a stream whatever its body says (Bedrock's *-stream paths). */
    default boolean streamedPath(String path) {
        return false;
    }

    /** Whether callers name deployments instead of models, which a project maps to models (Azure). */
    default boolean namesDeployments() {
        return false;
    }

    /**
     * The model a path names, where the provider puts it there (Azure's deployments, Gemini's
     * {@code models/{model}:generateContent}); empty otherwise.
     */
    default Optional<String> modelInPath(String path) {
        return Optional.empty();
    }
}
