package dev.llmproxy.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CacheDirectiveTest {

    @Test
    void cachingIsOptInPerRequest() {
        assertEquals(CacheDirective.BYPASS, CacheDirective.parse(null));
        assertEquals(CacheDirective.BYPASS, CacheDirective.parse(""));
        assertEquals(CacheDirective.BYPASS, CacheDirective.parse("private"));
        assertEquals(new CacheDirective(CacheDirective.Mode.LOOKUP, 60), CacheDirective.parse("max-age=60"));
        assertEquals(new CacheDirective(CacheDirective.Mode.LOOKUP, 60), CacheDirective.parse("Max-Age=\"60\""));
    }

    @Test
    void noCacheAndMaxAgeZeroRefreshWhileNoStoreWins() {
        assertEquals(CacheDirective.Mode.REFRESH, CacheDirective.parse("no-cache").mode());
        assertEquals(CacheDirective.Mode.REFRESH, CacheDirective.parse("max-age=0").mode());
        assertEquals(CacheDirective.Mode.REFRESH, CacheDirective.parse("max-age=60, no-cache").mode());
        assertEquals(CacheDirective.BYPASS, CacheDirective.parse("max-age=60, no-store"));
    }

    @Test
    void malformedAgesAreIgnoredAndHugeOnesCapped() {
        assertEquals(CacheDirective.BYPASS, CacheDirective.parse("max-age=-5"));
        assertEquals(CacheDirective.BYPASS, CacheDirective.parse("max-age=abc"));
        assertEquals(Integer.MAX_VALUE, CacheDirective.parse("max-age=99999999999999999999").maxAgeSeconds());
    }
}
