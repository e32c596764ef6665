package dev.llmproxy.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code key} query parameter, where Google's API takes a key (https://ai.google.dev/api: {@code ?key=}) and so
 * callers of Gemini's native paths may put their proxy token. It is a credential: it never goes upstream, into a
 * cache key or anywhere else a query goes ({@link #without}); the provider's key goes in a header.
 */
final class QueryKey {
    static final String NAME = "key";

    private QueryKey() {
    }

    /** The first {@code key} parameter's value, percent-decoded; null when there is none. */
    static String find(String query) {
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&", -1)) {
            if (parameter.startsWith(NAME + "=")) {
                String value = parameter.substring(NAME.length() + 1);
                try {
                    return URLDecoder.decode(value, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return value; // not a token the gate knows: refused as any unknown token is
                }
            }
        }
        return null;
    }

    /** The query without any {@code key} parameter (null when nothing is left), the rest as it was. */
    static String without(String query) {
        if (query == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : query.split("&", -1)) {
            if (!parameter.equals(NAME) && !parameter.startsWith(NAME + "=")) {
                kept.add(parameter);
            }
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }
}
