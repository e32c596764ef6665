package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyEncodingTest {
    @Test
    void gzipIsDecodedWithinTheLimit() throws IOException {
        byte[] body = "{\"model\":\"gpt-4o\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body);
        }
        assertArrayEquals(body, BodyEncoding.decoded("gzip", gz.toByteArray(), body.length, n -> true));
        var e = assertThrows(ProxyRefusal.class,
                () -> BodyEncoding.decoded("gzip", gz.toByteArray(), body.length - 1, n -> true));
        assertEquals("request_too_large", e.code());
    }

    /** max-request-body-bytes may be up to 2 GiB: four times a body past 512 MiB overflowed int, a negative size. */
    @Test
    void theFirstBufferIsAtMostOneMebibyteForAnyBody() {
        assertEquals(400, BodyEncoding.initialCapacity(100));
        assertEquals(1 << 20, BodyEncoding.initialCapacity(600 * 1024 * 1024));
        assertEquals(1 << 20, BodyEncoding.initialCapacity(Integer.MAX_VALUE));
    }

    /** A kilobyte that inflates to a megabyte holds a megabyte: the decoded bytes are charged as they come. */
    @Test
    void decodedBytesAreChargedAndRefusedPastTheBudget() throws IOException {
        byte[] body = new byte[1 << 20];
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(body);
        }
        long[] charged = {0};
        BodyEncoding.decoded("gzip", gz.toByteArray(), 2L << 20, n -> {
            charged[0] += n;
            return true;
        });
        assertEquals(body.length, charged[0], "every decoded byte charged");
        long[] budget = {256 * 1024};
        var refused = assertThrows(ProxyRefusal.class, () -> BodyEncoding.decoded("gzip", gz.toByteArray(), 2L << 20,
                n -> (budget[0] -= n) >= 0));
        assertEquals("request_bodies_full", refused.code());
    }
}
