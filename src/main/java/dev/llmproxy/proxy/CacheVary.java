package dev.llmproxy.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/** The request headers besides the body that change a provider's answer, and so belong in a cache key. */
final class CacheVary {
    private static final List<String> HEADERS = List.of("anthropic-version", "anthropic-beta", "openai-beta");

    private CacheVary() {
    }

    static Map<String, String> of(HttpFields headers) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : HEADERS) {
            List<String> given = headers.getValuesList(name);
            if (!given.isEmpty()) {
                values.put(name, String.join(",", given));
            }
        }
        return values;
    }
}
