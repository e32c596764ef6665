package dev.llmproxy.cache;

import java.util.Locale;

/**
 * What the caller's {@code Cache-Control} asks of the response cache. Caching is opt-in per request:
 * <ul>
 *   <li>{@code max-age=N} (N &gt; 0): an answer stored at most N seconds ago may be served; otherwise ask the
 *       provider and store its answer;</li>
 *   <li>{@code no-cache} or {@code max-age=0}: ask the provider and store its answer (a refresh);</li>
 *   <li>{@code no-store}, or no header at all: the cache is not involved.</li>
 * </ul>
 */
public record CacheDirective(Mode mode, long maxAgeSeconds) {
    public enum Mode { BYPASS, LOOKUP, REFRESH }

    public static final CacheDirective BYPASS = new CacheDirective(Mode.BYPASS, 0);

    public static CacheDirective parse(String cacheControl) {
        if (cacheControl == null || cacheControl.isBlank()) {
            return BYPASS;
        }
        boolean noCache = false;
        long maxAge = -1;
        for (String part : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String directive = part.strip();
            if (directive.equals("no-store")) {
                return BYPASS;
            }
            if (directive.equals("no-cache")) {
                noCache = true;
            } else if (directive.startsWith("max-age=")) {
                maxAge = seconds(directive.substring("max-age=".length()));
            }
        }
        if (noCache || maxAge == 0) {
            return new CacheDirective(Mode.REFRESH, 0);
        }
        return maxAge > 0 ? new CacheDirective(Mode.LOOKUP, maxAge) : BYPASS;
    }

    /** RFC 9111 delta-seconds: digits, possibly quoted; too large means "very large". Anything else: not given. */
    private static long seconds(String value) {
        String digits = value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                ? value.substring(1, value.length() - 1) : value;
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return digits.length() > 10 ? Integer.MAX_VALUE : Math.min(Long.parseLong(digits), Integer.MAX_VALUE);
    }
}
