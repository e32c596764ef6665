package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Content-Encoding of a request body (docs/fuzzing.md): what is decoded never exceeds the limit, a body encoded
 * within the limit decodes to exactly what was encoded, and the only failure is one of the three refusals.
 */
class BodyEncodingFuzzTest {
    private static final String[] ENCODINGS = {null, "", "identity", "gzip", "x-gzip", "deflate", "GZIP",
            "gzip, deflate", "deflate, gzip", "gzip,gzip", " gzip , identity ", "br", "gzip, br", ",deflate,"};
    private static final Set<String> REFUSALS = Set.of("request_too_large", "unreadable_body",
            "unsupported_content_encoding");

    @FuzzTest
    void decodesWithinTheLimitOrRefuses(FuzzedDataProvider data) throws IOException {
        String encoding = data.consumeBoolean() ? data.pickValue(ENCODINGS) : data.consumeString(24);
        int limit = data.consumeInt(0, 64 * 1024);
        boolean encodeFirst = data.consumeBoolean();
        byte[] payload = data.consumeRemainingAsBytes();

        // encode as a caller would, noting the largest layer that decoding will produce
        byte[] body = payload;
        long largestLayer = 0;
        boolean knownCodings = true;
        boolean inflates = false;
        if (encoding != null && !encoding.isBlank()) { // a blank header is no coding at all
            for (String coding : encoding.toLowerCase(Locale.ROOT).split(",")) {
                switch (coding.trim()) {
                    case "identity", "" -> { }
                    case "gzip", "x-gzip" -> {
                        inflates = true;
                        largestLayer = Math.max(largestLayer, body.length);
                        body = encodeFirst ? compress(body, true) : body;
                    }
                    case "deflate" -> {
                        inflates = true;
                        largestLayer = Math.max(largestLayer, body.length);
                        body = encodeFirst ? compress(body, false) : body;
                    }
                    default -> knownCodings = false;
                }
            }
        }

        byte[] decoded;
        try {
            decoded = BodyEncoding.decoded(encoding, body, limit, n -> true);
        } catch (ProxyRefusal e) {
            assertTrue(REFUSALS.contains(e.code()), "unexpected refusal " + e.code());
            if (encodeFirst && knownCodings) {
                assertEquals("request_too_large", e.code(), "a body the proxy encoded itself is not corrupt");
                assertTrue(largestLayer > limit, "refused as too large although every layer fits: " + largestLayer);
            }
            return;
        }
        assertTrue(knownCodings, "an unknown coding is refused: " + encoding);
        if (!inflates) {
            assertSame(body, decoded, "identity decodes to the body itself");
            return;
        }
        assertTrue(decoded.length <= limit, "decoded " + decoded.length + " bytes past the limit " + limit);
        if (encodeFirst) {
            assertArrayEquals(payload, decoded, "decoding undoes the encoding");
        }
    }

    private static byte[] compress(byte[] bytes, boolean gzip) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = gzip ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }
}
