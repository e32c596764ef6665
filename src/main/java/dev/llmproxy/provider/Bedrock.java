package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Amazon Bedrock's Runtime API
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Amazon_Bedrock_Runtime.html):
 * {@code POST /model/{modelId}/converse}, {@code /converse-stream}, {@code /invoke} and
 * {@code /invoke-with-response-stream}, the model (a model id, an inference profile id such as
 * {@code us.anthropic.claude-…}) in the path. Requests are signed with AWS Signature Version 4
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html) by the AWS SDK for
 * Java's own signer, service {@code bedrock}, over the exact bytes sent, afresh for every attempt; the region is the
 * one the base URL's host names ({@code bedrock-runtime.{region}.amazonaws.com}), else the {@code bedrock-region}
 * setting. The key: {@code accessKeyId:secretAccessKey[:sessionToken]}, or {@code aws-default-chain} ({@link AwsKey}).
 */
public final class Bedrock implements ProviderDefinition {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    /** {@code /model/{modelId}/{operation}}. */
    private static final Pattern CALL = Pattern.compile(
            "^/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)$");
    /** A Bedrock Runtime host names its region: {@code bedrock-runtime[-fips].{region}.amazonaws.com[.cn]}. */
    private static final Pattern HOST_REGION = Pattern.compile(
            "(?:^|\\.)bedrock-runtime(?:-fips)?\\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\\.");
    /**
     * Headers a hop may add to or change (the HTTP client adds its own {@code Accept-Encoding} values beside the
     * proxy's, the length and host are its own): left out of the signature, as AWS allows for all but {@code host}
     * and {@code x-amz-*}.
     */
    private static final Set<String> UNSIGNED = Set.of("host", "content-length", "user-agent", "expect",
            "transfer-encoding", "connection", "accept-encoding");
    static final String SERVICE = "bedrock";
    static final String REGION_PLACEHOLDER = "{region}";

    @Override
    public String id() {
        return "bedrock";
    }

    /** The regional endpoint: {@code {region}} is the {@code bedrock-region} setting ({@link #resolvedBaseUrl}). */
    @Override
    public Optional<String> defaultBaseUrl() {
        return Optional.of("https://bedrock-runtime." + REGION_PLACEHOLDER + ".amazonaws.com");
    }

    @Override
    public String defaultRoutes() {
        return "POST /model/*/converse, POST /model/*/converse-stream, POST /model/*/invoke,"
                + " POST /model/*/invoke-with-response-stream";
    }

    @Override
    public ApiFamily family() {
        return ApiFamily.BEDROCK;
    }

    @Override
    public String resolvedBaseUrl(String baseUrl, ProxySettings settings) {
        return baseUrl.replace(REGION_PLACEHOLDER, settings.bedrockRegion());
    }

    /** The model id encoded as the AWS SDKs encode it ({@code :} as {@code %3A}), so that it is signed as sent. */
    @Override
    public String upstreamUrl(String baseUrl, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        Matcher m = CALL.matcher(path);
        if (!m.matches()) {
            return baseUrl + pathAndQuery;
        }
        return baseUrl + "/model/" + SdkHttpUtils.urlEncode(m.group(1)) + "/" + m.group(2)
                + (query < 0 ? "" : pathAndQuery.substring(query));
    }

    /** The key goes into the signature ({@link #sign}), not into a header of its own. */
    @Override
    public void applyCredentials(String apiKey, ProxySettings settings, UpstreamHeaders headers) {
        // nothing: sign() puts Authorization, X-Amz-Date and X-Amz-Security-Token
    }

    @Override
    public Optional<String> apiKeyProblem(String apiKey) {
        return AwsKey.problem(apiKey);
    }

    /** The access key id's ends ({@code AKI…MPLE}), never the secret's; the default chain by name. */
    @Override
    public Optional<String> keyHint(String apiKey) {
        return Optional.of(AwsKey.hint(apiKey));
    }

    /**
     * Signs over the method, the URL as sent, the headers that go (but those a hop may change) and the body's
     * SHA-256, dated now: each attempt gets its own {@code X-Amz-Date}.
     */
    @Override
    public void sign(String apiKey, SigningContext context, SignableRequest request) {
        AwsCredentialsIdentity identity = AwsKey.defaultChain(apiKey) ? context.awsDefaultChain().get()
                : AwsKey.credentials(apiKey);
        URI uri = URI.create(request.url());
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method())).uri(uri);
        request.headers().forEach((name, values) -> {
            if (!UNSIGNED.contains(name.toLowerCase(Locale.ROOT))) {
                unsigned.putHeader(name, values);
            }
        });
        if (request.contentType() != null) {
            unsigned.putHeader("Content-Type", request.contentType());
        }
        SdkHttpRequest toSign = unsigned.build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(identity).request(toSign)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region(uri.getHost(), context.settings()))
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, context.clock()));
        signed.request().forEachHeader((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization") || lower.startsWith("x-amz-")) {
                request.put(name, values.get(0));
            }
        });
    }

    /** The region a host names, else the {@code bedrock-region} setting (a proxy, a mock, a private endpoint). */
    static String region(String host, ProxySettings settings) {
        Matcher m = HOST_REGION.matcher(host == null ? "" : host.toLowerCase(Locale.ROOT));
        return m.find() ? m.group(1) : settings.bedrockRegion();
    }

    /** The model of {@code /model/{modelId}/…}, decoded (an inference profile id, a model id with its version). */
    @Override
    public Optional<String> modelInPath(String path) {
        Matcher m = CALL.matcher(path);
        return m.matches() ? Optional.of(URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8))
                : Optional.empty();
    }

    /** ConverseStream and InvokeModelWithResponseStream answer AWS event streams. */
    @Override
    public boolean streamedPath(String path) {
        return path.endsWith("/converse-stream") || path.endsWith("/invoke-with-response-stream");
    }

    /** Whether {@code path} is the Bedrock Runtime API's, whose callers (the AWS SDKs) expect AWS's error shape. */
    public static boolean runtimePath(String path) {
        return path.startsWith("/model/") || path.equals("/model");
    }
}
