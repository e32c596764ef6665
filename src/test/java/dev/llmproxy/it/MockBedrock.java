package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Amazon Bedrock's Runtime API as {@link MockProvider} plays it under {@code /model/{modelId}/…}, in the wire format
 * of AWS's reference (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html and the
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream pages; InvokeModel with Claude's, Llama's or
 * Mistral's body, with Bedrock's token count headers). Every request must be signed with SigV4 for
 * service {@code bedrock} in {@link #REGION} by {@link #ACCESS_KEY_ID}: the mock recomputes the signature itself
 * from what it received (the raw path encoded once more, as AWS does for every service but S3; the signed headers;
 * the body's SHA-256) with {@link #SECRET}, and answers AWS's 403 {@code InvalidSignatureException} when it differs,
 * {@code UnrecognizedClientException} for another key id or a bearer token. Streams are AWS event streams whose
 * messages are encoded by the AWS SDK for Java's own codec (CRCs included). The model {@code mock-bedrock-missing}
 * gets Bedrock's 404 {@code ResourceNotFoundException}; {@code mock-bedrock-stall}'s stream stops after two events.
 */
final class MockBedrock {
    static final String ACCESS_KEY_ID = "AKIAMOCKBEDROCK00005";
    static final String SECRET = "mockBedrockSecret/0005+wJalrXUtnFEMIK7MDENG";
    static final String KEY = ACCESS_KEY_ID + ":" + SECRET;
    /**
     * The credentials the containers' JVMs find through the AWS default chain (the {@code aws.accessKeyId} and
     * {@code aws.secretAccessKey} system properties, {@link Deployment#TEST_SETTINGS}): an {@code aws-default-chain}
     * project's requests are signed with them.
     */
    static final String CHAIN_ACCESS_KEY_ID = "AKIAMOCKCHAIN0000006";
    static final String CHAIN_SECRET = "mockChainSecret/0006+bPxRfiCYEXAMPLEKEY";
    private static final Map<String, String> SECRETS = Map.of(ACCESS_KEY_ID, SECRET, CHAIN_ACCESS_KEY_ID,
            CHAIN_SECRET);
    /** The region the proxy signs for when the base URL (the mock's 127.0.0.1) names none: bedrock-region's default. */
    static final String REGION = "us-east-1";
    /** Converse's usage: 12 uncached input tokens, 6 read from the cache, 4 written to it, 5 out. */
    static final String CONVERSE_USAGE = "{\"inputTokens\":12,\"outputTokens\":5,\"totalTokens\":27,"
            + "\"cacheReadInputTokens\":6,\"cacheWriteInputTokens\":4}";
    /** What InvokeModel's headers count for a Meta Llama model ({@code meta.…}): input, output. */
    static final int[] LLAMA_COUNTS = {18, 7};
    /** … and for a Mistral model ({@code mistral.…}), whose body reports none. */
    static final int[] MISTRAL_COUNTS = {21, 9};
    private static final Pattern CALL = Pattern.compile("^/model/([^/]+)/([a-z-]+)$");
    private static final Pattern AUTHORIZATION = Pattern.compile("^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/"
            + "([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockBedrock() {
    }

    static boolean serves(String path) {
        return path.startsWith("/model/");
    }

    static void handle(HttpExchange ex, String path, byte[] body) throws IOException {
        String refusal = signatureProblem(ex, body);
        if (refusal != null) {
            error(ex, 403, refusal.startsWith("Unrecognized") ? "UnrecognizedClientException"
                    : "InvalidSignatureException", refusal.substring(refusal.indexOf(':') + 1).trim());
            return;
        }
        Matcher call = CALL.matcher(path);
        if (!call.matches()) {
            error(ex, 404, "UnknownOperationException", "no mock for " + path);
            return;
        }
        String model = call.group(1);
        if (model.equals("mock-bedrock-missing")) {
            error(ex, 404, "ResourceNotFoundException", "Model not found: " + model);
            return;
        }
        JsonNode request = JSON.readTree(body);
        switch (call.group(2)) {
            case "converse" -> {
                if (!request.path("messages").isArray()) {
                    error(ex, 400, "ValidationException", "Malformed input request: messages is required");
                    return;
                }
                json(ex, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hello from"
                        + " Bedrock\"}]}},\"stopReason\":\"end_turn\",\"usage\":" + CONVERSE_USAGE
                        + ",\"metrics\":{\"latencyMs\":321}}");
            }
            case "converse-stream" -> converseStream(ex, model.equals("mock-bedrock-stall"));
            case "invoke" -> invoke(ex, model, request);
            case "invoke-with-response-stream" -> invokeStream(ex);
            default -> error(ex, 404, "UnknownOperationException", "no mock for " + path);
        }
    }

    /**
     * InvokeModel: the model's own body (Claude's, Meta Llama's, Mistral's) with Bedrock's token count headers, which
     * it puts on every InvokeModel answer whatever the model (Mistral's body has no counts of its own). Claude's
     * headers count its uncached input, as its body's {@code input_tokens} does.
     */
    private static void invoke(HttpExchange ex, String model, JsonNode request) throws IOException {
        boolean claude = !model.startsWith("meta.") && !model.startsWith("mistral.");
        if (!claude && !request.path("prompt").isTextual()) {
            error(ex, 400, "ValidationException", "Malformed input request: #: required key [prompt] not found");
            return;
        }
        int[] counts = model.startsWith("meta.") ? LLAMA_COUNTS : model.startsWith("mistral.") ? MISTRAL_COUNTS
                : new int[] {14, 6};
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Input-Token-Count", String.valueOf(counts[0]));
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Output-Token-Count", String.valueOf(counts[1]));
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Invocation-Latency", "250");
        if (model.startsWith("meta.")) {
            json(ex, "{\"generation\":\"Hello from Llama on Bedrock\",\"prompt_token_count\":" + counts[0]
                    + ",\"generation_token_count\":" + counts[1] + ",\"stop_reason\":\"stop\"}");
        } else if (model.startsWith("mistral.")) {
            json(ex, "{\"outputs\":[{\"text\":\"Hello from Mistral on Bedrock\",\"stop_reason\":\"stop\"}]}");
        } else {
            json(ex, "{\"id\":\"msg_bdrk_01Mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                    + "\"claude-3-haiku-20240307\",\"content\":[{\"type\":\"text\",\"text\":\"Hello from Claude on"
                    + " Bedrock\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{"
                    + "\"input_tokens\":14,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2,"
                    + "\"output_tokens\":6}}");
        }
    }

    /**
     * ConverseStream's events, as Bedrock sends them (its {@code p} padding included); {@code stall}: the first two,
     * then silence for 8 s (longer than the tests' idle timeout).
     */
    private static void converseStream(HttpExchange ex, boolean stall) throws IOException {
        OutputStream out = eventStream(ex);
        event(out, "messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}");
        event(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcd\"}");
        if (stall) {
            MockProvider.sleep(8_000);
            return;
        }
        event(out, "contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" from Bedrock\"},\"p\":\"ab\"}");
        event(out, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijk\"}");
        event(out, "messageStop", "{\"p\":\"abcdef\",\"stopReason\":\"end_turn\"}");
        event(out, "metadata", "{\"metrics\":{\"latencyMs\":200},\"p\":\"abc\",\"usage\":{\"inputTokens\":12,"
                + "\"outputTokens\":3,\"totalTokens\":15}}");
    }

    /** InvokeModelWithResponseStream with Claude: each chunk's bytes an Anthropic stream event, base64. */
    private static void invokeStream(HttpExchange ex) throws IOException {
        OutputStream out = eventStream(ex);
        String[] events = {
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_02Mock\",\"type\":\"message\",\"role\":"
                + "\"assistant\",\"model\":\"claude-3-haiku-20240307\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":14,\"output_tokens\":1}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" from"
                + " Claude\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{"
                + "\"output_tokens\":7}}",
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":14,"
                + "\"outputTokenCount\":7,\"invocationLatency\":300,\"firstByteLatency\":100}}"};
        for (String e : events) {
            String bytes = Base64.getEncoder().encodeToString(e.getBytes(StandardCharsets.UTF_8));
            event(out, "chunk", "{\"bytes\":\"" + bytes + "\",\"p\":\"abcdefghij\"}");
        }
    }

    private static OutputStream eventStream(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
        ex.getResponseHeaders().set("x-amzn-RequestId", "mock-bedrock-request");
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    /** One event message, encoded by the AWS SDK's own codec; flushed alone. */
    private static void event(OutputStream out, String type, String json) throws IOException {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(out);
        out.flush();
    }

    private static void json(HttpExchange ex, String body) throws IOException {
        ex.getResponseHeaders().set("x-amzn-RequestId", "mock-bedrock-request");
        MockProvider.json(ex, 200, body);
    }

    /** AWS's error: its type in {@code x-amzn-ErrorType}, the message in the JSON body. */
    static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ex.getResponseHeaders().set("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        ex.getResponseHeaders().set("x-amzn-RequestId", "mock-bedrock-request");
        MockProvider.json(ex, status, "{\"message\":" + JSON.writeValueAsString(message) + "}");
    }

    /**
     * What is wrong with the request's signature, prefixed by AWS's error (null when it holds): recomputed from the
     * request as received (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
     */
    static String signatureProblem(HttpExchange ex, byte[] body) {
        var headers = ex.getRequestHeaders();
        String authorization = headers.getFirst("Authorization");
        Matcher auth = AUTHORIZATION.matcher(authorization == null ? "" : authorization);
        if (!auth.matches()) {
            return "Unrecognized: The security token included in the request is invalid.";
        }
        String secret = SECRETS.get(auth.group(1));
        if (secret == null) {
            return "Unrecognized: The security token included in the request is invalid.";
        }
        String amzDate = headers.getFirst("X-Amz-Date");
        List<String> signed = List.of(auth.group(5).split(";"));
        if (amzDate == null || !signed.contains("host") || !signed.contains("x-amz-date")
                || !auth.group(3).equals(REGION) || !auth.group(4).equals("bedrock")
                || !amzDate.startsWith(auth.group(2))) {
            return "Invalid: the credential scope or the signed headers are not those of bedrock in " + REGION;
        }
        Instant dated = Instant.from(AMZ_DATE.parse(amzDate));
        if (Duration.between(dated, Instant.now()).abs().toMinutes() >= 5) {
            return "Invalid: Signature expired: " + amzDate + " is not within 5 minutes of now";
        }
        for (String name : headers.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-") && !signed.contains(lower)) {
                return "Invalid: the header " + lower + " is not signed";
            }
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(ex.getRequestMethod()).append('\n');
        canonical.append(encode(ex.getRequestURI().getRawPath())).append('\n');
        canonical.append(canonicalQuery(ex.getRequestURI().getRawQuery())).append('\n');
        for (String name : signed) {
            List<String> values = headers.get(name);
            if (values == null) {
                return "Invalid: the signed header " + name + " is missing";
            }
            List<String> trimmed = new ArrayList<>();
            values.forEach(v -> trimmed.add(v.trim().replaceAll(" +", " ")));
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        canonical.append('\n').append(auth.group(5)).append('\n').append(hex(sha256(body)));
        String scope = auth.group(2) + "/" + REGION + "/bedrock/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.group(2));
        key = hmac(hmac(hmac(key, REGION), "bedrock"), "aws4_request");
        String expected = hex(hmac(key, toSign));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.group(6).getBytes(StandardCharsets.US_ASCII)) ? null
                : "Invalid: The request signature we calculated does not match the signature you provided. Check your"
                        + " AWS Secret Access Key and signing method. Consult the service documentation for details."
                        + "\n\nThe Canonical String for this request should have been\n'" + canonical + "'\n";
    }

    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>(List.of(raw.split("&")));
        pairs.replaceAll(p -> p.contains("=") ? p : p + "=");
        pairs.sort(null);
        return String.join("&", pairs);
    }

    /** RFC 3986 encoding of all but the unreserved characters and '/'. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
