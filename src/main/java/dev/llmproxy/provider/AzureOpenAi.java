package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure OpenAI (https://learn.microsoft.com/azure/ai-foundry/openai/reference): the base URL is the resource's
 * endpoint ({@code https://{resource}.openai.azure.com}, so there is no default); callers use the deployment paths
 * ({@code /openai/deployments/{deployment}/chat/completions?api-version=…}, what the {@code AzureOpenAI} client of
 * the openai SDKs sends) or the v1 paths ({@code /openai/v1/chat/completions}, a plain OpenAI client with base URL
 * {@code {endpoint}/openai/v1}). The key goes in {@code api-key}, or, when it names a Microsoft Entra ID application
 * ({@link EntraApplication}), the application's access token goes in {@code Authorization: Bearer}
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/managed-identity); bodies, usage and errors are OpenAI's.
 */
public final class AzureOpenAi implements ProviderDefinition {
    private static final Pattern DEPLOYMENT = Pattern.compile("^/openai/deployments/([^/]+)(/.*)$");
    private static final String V1 = "/openai/v1/";

    @Override
    public String id() {
        return "azure-openai";
    }

    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.empty();
    }

    @Override
    public String defaultRoutes() {
        return "POST /openai/deployments/*/chat/completions, POST /openai/deployments/*/completions,"
                + " POST /openai/deployments/*/embeddings,"
                + " POST /openai/v1/chat/completions, POST /openai/v1/completions, POST /openai/v1/embeddings,"
                + " POST /openai/v1/responses, GET /openai/v1/responses/*, POST /openai/v1/responses/*/cancel,"
                + " DELETE /openai/v1/responses/*, GET /openai/v1/responses/*/input_items, GET /openai/v1/models";
    }

    /** The resource endpoint, as the Azure portal shows it; callers' paths start with /openai themselves. */
    @Override
    public Optional<String> baseUrlProblem(String baseUrl) {
        return baseUrl.toLowerCase(Locale.ROOT).endsWith("/openai")
                ? Optional.of("is the resource endpoint (https://{resource}.openai.azure.com); drop the trailing /openai")
                : Optional.empty();
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.AZURE_OPENAI;
    }

    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        headers.put("api-key", apiKey);
    }

    @Override
    public Optional<String> apiKeyProblem(String apiKey) {
        return EntraApplication.problem(apiKey);
    }

    @Override
    public Optional<EntraApplication> tokenCredential(String apiKey) {
        return EntraApplication.of(apiKey);
    }

    /** {@code /openai/deployments/d/chat/completions} and {@code /openai/v1/chat/completions}: /v1/chat/completions. */
    @Override
    public String canonicalPath(String path) {
        Matcher m = DEPLOYMENT.matcher(path);
        if (m.matches()) {
            return "/v1" + m.group(2);
        }
        return path.startsWith(V1) ? path.substring("/openai".length()) : path;
    }

    @Override
    public boolean namesDeployments() {
        return true;
    }

    /** The deployment of {@code /openai/deployments/{deployment}/…}: Azure's name for the model. */
    @Override
    public Optional<String> modelInPath(String path) {
        Matcher m = DEPLOYMENT.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
