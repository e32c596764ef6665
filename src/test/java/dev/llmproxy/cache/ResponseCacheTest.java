package dev.llmproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.CacheSettings;
import dev.llmproxy.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
    private static final byte[] BODY = "{\"model\":\"m\",\"temperature\":0}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ANSWER = "{\"answer\":42}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ResponseCache cache = new ResponseCache(new CacheSettings(1024 * 1024, 2048), clock);
    private final ProjectCachePolicy projectA = new ProjectCachePolicy("a", 0, OptionalInt.of(60));

    private static CacheKey key(ProjectCachePolicy p, byte[] body) {
        return CacheKey.of(p.projectId(), p.generation(), "POST", "/v1/chat/completions", Map.of(), body);
    }

    private CacheLookup lookup(ProjectCachePolicy p, String cacheControl) {
        return cache.lookup(p, cacheControl, true, () -> key(p, BODY));
    }

    private void answer(CacheLookup lookup, int status, byte[]... chunks) {
        long length = 0;
        for (byte[] c : chunks) {
            length += c.length;
        }
        lookup.onUpstreamHeaders(status, "application/json", length, false, "default");
        for (byte[] c : chunks) {
            lookup.onChunk(c);
        }
        lookup.onComplete();
    }

    @Test
    void aWholeAnswerIsServedAgainWithinTheCallersMaxAgeAndTheProjectsTtl() {
        CacheLookup miss = lookup(projectA, "max-age=30");
        assertTrue(miss.hit().isEmpty());
        assertEquals("llm-proxy; fwd=miss; stored",
                miss.onUpstreamHeaders(200, "application/json", ANSWER.length, false, "default").orElseThrow());
        miss.onChunk(ANSWER);
        miss.onComplete();

        clock.advance(Duration.ofSeconds(10));
        CacheLookup hit = lookup(projectA, "max-age=30");
        assertEquals("{\"answer\":42}", new String(hit.hit().orElseThrow().body(), StandardCharsets.UTF_8));
        assertEquals("llm-proxy; hit; ttl=50", hit.statusHeader().orElseThrow());

        clock.advance(Duration.ofSeconds(25)); // 35 s old: too old for this caller, fine for a laxer one
        assertTrue(lookup(projectA, "max-age=30").hit().isEmpty());
        assertTrue(lookup(projectA, "max-age=40").hit().isPresent());
        assertEquals(1, cache.stats().stores());
    }

    @Test
    void anAnswerOfDeclaredLengthIsKeptWithItsLastByteBeforeTheCallerHasIt() {
        CacheLookup miss = lookup(projectA, "max-age=30");
        miss.onUpstreamHeaders(200, "application/json", ANSWER.length, false, "default");
        miss.onChunk(java.util.Arrays.copyOfRange(ANSWER, 0, 4));
        assertTrue(lookup(projectA, "max-age=30").hit().isEmpty(), "not before the last byte");
        miss.onChunk(java.util.Arrays.copyOfRange(ANSWER, 4, ANSWER.length));
        assertEquals("default", lookup(projectA, "max-age=30").hit().orElseThrow().upstream());
        miss.onComplete(); // the end of the stream adds nothing
        assertEquals(1, cache.stats().stores());
    }

    @Test
    void entriesBelongToOneProjectAndGeneration() {
        answer(lookup(projectA, "max-age=60"), 200, ANSWER);
        var projectB = new ProjectCachePolicy("b", 0, OptionalInt.of(60));
        assertTrue(lookup(projectB, "max-age=60").hit().isEmpty());
        var purgedA = new ProjectCachePolicy("a", 1, OptionalInt.of(60));
        assertTrue(lookup(purgedA, "max-age=60").hit().isEmpty(), "a new generation sees nothing older");
        assertNotEquals(key(projectA, BODY), key(projectA, "{}".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(CacheKey.of("a", 0, "POST", "/v1/x", Map.of("anthropic-version", "1"), BODY),
                CacheKey.of("a", 0, "POST", "/v1/x", Map.of("anthropic-version", "2"), BODY));
    }

    @Test
    void failedPartialStreamedOrOversizedAnswersAreNotKept() {
        CacheLookup failed = lookup(projectA, "max-age=60");
        assertEquals("llm-proxy; fwd=miss; fwd-status=500",
                failed.onUpstreamHeaders(500, "application/json", 10, false, "default").orElseThrow());
        failed.onChunk(ANSWER);
        failed.onComplete();

        CacheLookup partial = lookup(projectA, "max-age=60");
        partial.onUpstreamHeaders(200, "application/json", ANSWER.length + 10, false, "default");
        partial.onChunk(ANSWER); // 10 bytes short, and then the provider cut the answer: onComplete is never called

        CacheLookup streamed = lookup(projectA, "max-age=60");
        assertTrue(streamed.onUpstreamHeaders(200, "text/event-stream", -1, true, "default").orElseThrow()
                .endsWith("detail=not-storable"));

        CacheLookup growing = lookup(projectA, "max-age=60");
        assertEquals("llm-proxy; fwd=miss", growing.onUpstreamHeaders(200, "application/json", -1, false, "default")
                .orElseThrow(), "no length declared: stored is not promised");
        growing.onChunk(new byte[1500]);
        growing.onChunk(new byte[1500]); // over cache-max-entry-bytes: dropped
        growing.onComplete();

        assertTrue(lookup(projectA, "max-age=60").hit().isEmpty());
        assertEquals(0, cache.stats().stores());
    }

    @Test
    void theCacheStaysOutOfCallsItMayNotServe() {
        assertFalse(lookup(projectA, null).statusHeader().isEmpty(), "a caching project says why it bypassed");
        assertEquals("llm-proxy; fwd=bypass; detail=not-requested", lookup(projectA, null).statusHeader().get());
        var off = new ProjectCachePolicy("c", 0, OptionalInt.empty());
        assertTrue(lookup(off, null).statusHeader().isEmpty(), "no header when nobody asked");
        assertEquals("llm-proxy; fwd=bypass; detail=project-cache-off", lookup(off, "max-age=5").statusHeader().get());
        assertEquals("llm-proxy; fwd=bypass; detail=not-deterministic",
                cache.lookup(projectA, "max-age=5", false, () -> key(projectA, BODY)).statusHeader().get());
        var disabled = new ResponseCache(new CacheSettings(0, 2048), clock);
        assertEquals("llm-proxy; fwd=bypass; detail=cache-off",
                disabled.lookup(projectA, "max-age=5", true, () -> key(projectA, BODY)).statusHeader().get());
    }

    @Test
    void theByteBoundEvictsAndPurgesFreeAProjectsEntries() {
        var small = new ResponseCache(new CacheSettings(10_000, 2048), clock);
        for (int i = 0; i < 20; i++) {
            byte[] body = ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            CacheLookup l = small.lookup(projectA, "max-age=60", true, () -> key(projectA, body));
            l.onUpstreamHeaders(200, "application/json", 1000, false, "default");
            l.onChunk(new byte[1000]);
            l.onComplete();
        }
        ResponseCache.Stats stats = small.stats();
        assertTrue(stats.bytes() <= 10_000, "held " + stats.bytes() + " bytes");
        assertTrue(stats.entries() < 20 && stats.entries() > 0, stats.toString());
        assertEquals(stats.entries(), small.purge("a"));
        assertEquals(0, small.stats().entries());
    }
}
