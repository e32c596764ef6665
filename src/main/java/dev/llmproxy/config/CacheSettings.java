package dev.llmproxy.config;

/**
 * The response cache (per instance, in memory).
 *
 * @param maxBytes      all cached responses together; the least used go first when full
 * @param maxEntryBytes a larger response is passed on but not cached
 */
public record CacheSettings(long maxBytes, int maxEntryBytes) {
    public static final String MAX_BYTES = "cache-max-bytes";
    public static final String MAX_ENTRY_BYTES = "cache-max-entry-bytes";

    static CacheSettings read(SettingsReader reader) {
        return new CacheSettings(
                reader.integer(MAX_BYTES, 64 * 1024 * 1024, 0, Integer.MAX_VALUE),
                reader.integer(MAX_ENTRY_BYTES, 1024 * 1024, 1024, 64 * 1024 * 1024));
    }
}
