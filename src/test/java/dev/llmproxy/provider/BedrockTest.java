package dev.llmproxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.ProxySettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Amazon Bedrock's definition: URLs, the region, the model in the path, keys, and the SigV4 signature it puts. */
class BedrockTest {
    private static final ProxySettings SETTINGS = new ProxySettings(1024, 1000, 1000, 1000, "2023-06-01", Map.of(),
            4096, "eu-central-1");
    private static final String KEY = "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Pattern AUTHORIZATION = Pattern.compile("^AWS4-HMAC-SHA256 Credential=([^,]+), "
            + "SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$");
    private final Bedrock bedrock = new Bedrock();

    private static SigningContext at(String instant) {
        return new SigningContext(SETTINGS, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), () -> {
            throw new CredentialsUnavailableException("no chain in this test", null);
        });
    }

    private SignedRequestFake signed(String url, String key, String body, SigningContext context) {
        SignedRequestFake request = new SignedRequestFake(url, body);
        bedrock.sign(key, context, request);
        return request;
    }

    @Test
    void theDefaultBaseUrlIsTheRegionalEndpointOfTheConfiguredRegion() {
        String base = bedrock.defaultBaseUrl().orElseThrow();
        assertEquals("https://bedrock-runtime.eu-central-1.amazonaws.com", bedrock.resolvedBaseUrl(base, SETTINGS));
        assertEquals("https://proxy.internal", bedrock.resolvedBaseUrl("https://proxy.internal", SETTINGS));
    }

    @Test
    void theRegionIsTheOneTheHostNamesElseTheSetting() {
        assertEquals("us-west-2", Bedrock.region("bedrock-runtime.us-west-2.amazonaws.com", SETTINGS));
        assertEquals("us-gov-west-1", Bedrock.region("bedrock-runtime-fips.us-gov-west-1.amazonaws.com", SETTINGS));
        assertEquals("ap-southeast-2", Bedrock.region("vpce-0a1b.bedrock-runtime.ap-southeast-2.vpce.amazonaws.com",
                SETTINGS));
        assertEquals("eu-central-1", Bedrock.region("127.0.0.1", SETTINGS));
        assertEquals("eu-central-1", Bedrock.region("bedrock-runtime.evil.example", SETTINGS));
    }

    @Test
    void theModelIdIsSentEncodedAsTheAwsSdksEncodeItAndReadDecoded() {
        assertEquals("https://b/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream",
                bedrock.upstreamUrl("https://b", "/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream"));
        assertEquals(Optional.of("us.anthropic.claude-3-5-haiku-20241022-v1:0"),
                bedrock.modelInPath("/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/invoke"));
        assertEquals(Optional.empty(), bedrock.modelInPath("/model/a/b/converse"));
        assertEquals(Optional.empty(), bedrock.modelInPath("/model/x/delete"));
        assertTrue(bedrock.streamedPath("/model/x/converse-stream"));
        assertTrue(bedrock.streamedPath("/model/x/invoke-with-response-stream"));
        assertFalse(bedrock.streamedPath("/model/x/invoke"));
        assertTrue(Bedrock.runtimePath("/model/x/converse"));
        assertFalse(Bedrock.runtimePath("/v1/models"));
    }

    @Test
    void keysAreAccessKeysOrTheDefaultChainAndAreNeverEchoed() {
        assertEquals(Optional.empty(), bedrock.apiKeyProblem(KEY));
        assertEquals(Optional.empty(), bedrock.apiKeyProblem(KEY + ":IQoJb3JpZ2luX2VjE+/token=="));
        assertEquals(Optional.empty(), bedrock.apiKeyProblem("aws-default-chain"));
        for (String bad : new String[] {"s3cr3t", "akia-lower:s3cr3t", "AKIAIOSFODNN7EXAMPLE:", "AKIAIOSFODNN7EXAMPLE:a b",
            "AKIAIOSFODNN7EXAMPLE:s3cr3t:tok:more", "AKIAIOSFODNN7EXAMPLE:s3cr3t\n"}) {
            String problem = bedrock.apiKeyProblem(bad).orElseThrow(() -> new AssertionError(bad));
            assertFalse(problem.contains("s3cr3t"), problem);
            assertTrue(problem.contains("accessKeyId:secretAccessKey"), problem);
        }
    }

    @Test
    void signsWithSigV4ForBedrockInTheRegionAtTheClocksTime() {
        SignedRequestFake request = signed("https://bedrock-runtime.us-west-2.amazonaws.com/model/m%3A0/converse", KEY,
                "{\"messages\":[]}", at("2026-12-04T18:30:00Z"));
        assertEquals("20261204T183000Z", request.header("X-Amz-Date"));
        Matcher auth = AUTHORIZATION.matcher(request.header("Authorization"));
        assertTrue(auth.matches(), request.header("Authorization"));
        assertEquals("AKIAIOSFODNN7EXAMPLE/20261204/us-west-2/bedrock/aws4_request", auth.group(1));
        List<String> signedHeaders = List.of(auth.group(2).split(";"));
        assertTrue(signedHeaders.containsAll(List.of("accept", "content-type", "host", "x-amz-date")), auth.group(2));
        assertEquals(null, request.header("X-Amz-Security-Token"), "no session token in a long-term key");
        assertFalse(request.headers.toString().contains("wJalrXUtnFEMI"), "the secret is never sent");
    }

    @Test
    void theSignatureCoversTheBodyAndTheDateAndTheSessionToken() {
        String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse";
        String one = signed(url, KEY, "{\"a\":1}", at("2026-12-04T18:30:00Z")).header("Authorization");
        assertEquals(one, signed(url, KEY, "{\"a\":1}", at("2026-12-04T18:30:00Z")).header("Authorization"),
                "the same request at the same time: the same signature");
        assertNotEquals(one, signed(url, KEY, "{\"a\":2}", at("2026-12-04T18:30:00Z")).header("Authorization"));
        SignedRequestFake later = signed(url, KEY, "{\"a\":1}", at("2026-12-04T18:30:01Z"));
        assertEquals("20261204T183001Z", later.header("X-Amz-Date"), "a retry is dated afresh");
        assertNotEquals(one, later.header("Authorization"));
        SignedRequestFake session = signed(url, KEY + ":IQoJsessionToken", "{}", at("2026-12-04T18:30:00Z"));
        assertEquals("IQoJsessionToken", session.header("X-Amz-Security-Token"));
        assertTrue(session.header("Authorization").contains("x-amz-security-token"), "the token is signed");
    }

    @Test
    void theDefaultChainIsAskedOnlyForItsKeyAndItsFailureSendsNothing() {
        String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/converse";
        assertThrows(CredentialsUnavailableException.class,
                () -> signed(url, "aws-default-chain", "{}", at("2026-12-04T18:30:00Z")));
        SigningContext chain = new SigningContext(SETTINGS, Clock.systemUTC(),
                () -> AwsCredentialsIdentity.create("ASIACHAINEXAMPLE0001", "chainSecret"));
        SignedRequestFake request = signed(url, "aws-default-chain", "{}", chain);
        assertTrue(request.header("Authorization").contains("Credential=ASIACHAINEXAMPLE0001/"));
    }

    @Test
    void theCredentialsGoIntoTheSignatureNotIntoAHeader() {
        ProvidersTest.Headers headers = new ProvidersTest.Headers();
        bedrock.applyCredentials(KEY, SETTINGS, headers);
        assertTrue(headers.values.isEmpty());
        assertEquals(ApiFamily.BEDROCK, bedrock.family());
        assertFalse(bedrock.asksForStreamUsage());
    }
}
