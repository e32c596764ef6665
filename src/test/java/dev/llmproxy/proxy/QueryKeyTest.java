package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Google's {@code ?key=}: read as the caller's token, never passed on. */
class QueryKeyTest {
    @Test
    void theKeyIsFoundWhereverItStandsAndDecoded() {
        assertEquals("llmp_abc", QueryKey.find("key=llmp_abc"));
        assertEquals("llmp_abc", QueryKey.find("alt=sse&key=llmp_abc"));
        assertEquals("a b/c", QueryKey.find("key=a+b%2Fc&alt=sse"));
        assertEquals("first", QueryKey.find("key=first&key=second"));
        assertEquals("%zz", QueryKey.find("key=%zz"), "malformed: kept as it came, and refused as unknown");
        assertEquals("", QueryKey.find("key="));
        assertNull(QueryKey.find("alt=sse"));
        assertNull(QueryKey.find("monkey=1&keys=2"), "only the parameter named key");
        assertNull(QueryKey.find(null));
    }

    @Test
    void theQueryGoesOnWithoutAnyKey() {
        assertEquals("alt=sse", QueryKey.without("alt=sse&key=llmp_abc"));
        assertEquals("alt=sse", QueryKey.without("key=llmp_abc&alt=sse"));
        assertEquals("alt=sse&x=1", QueryKey.without("key=a&alt=sse&key=b&x=1&key"));
        assertEquals("monkey=1&keys=2", QueryKey.without("monkey=1&keys=2"));
        assertNull(QueryKey.without("key=llmp_abc"), "nothing left: no query at all");
        assertNull(QueryKey.without(null));
        String huge = "k".repeat(200_000);
        assertEquals("alt=sse", QueryKey.without("key=" + huge + "&alt=sse"));
    }
}
