package dev.llmproxy.usage;

/**
 * Prices of one model (or model-name prefix) in micro-USD per million tokens; cache prices default to the input
 * price when absent. {@code source} says where it came from: the shipped defaults with their date, or an admin.
 */
public record Price(String model, long inputMicrosPerMTok, Long cachedInputMicrosPerMTok,
                    Long cacheWriteMicrosPerMTok, long outputMicrosPerMTok, String source) {

    /**
     * Cost of one call in micro-USD, rounded half up once at the end: uncached input, cache reads and writes, and
     * output, each at its own price.
     */
    public long costMicros(TokenUsage usage) {
        long uncached = Math.max(0, usage.promptTokens() - usage.cachedTokens() - usage.cacheWriteTokens());
        long cached = cachedInputMicrosPerMTok == null ? inputMicrosPerMTok : cachedInputMicrosPerMTok;
        long write = cacheWriteMicrosPerMTok == null ? inputMicrosPerMTok : cacheWriteMicrosPerMTok;
        var sum = java.math.BigInteger.valueOf(uncached).multiply(java.math.BigInteger.valueOf(inputMicrosPerMTok))
                .add(java.math.BigInteger.valueOf(usage.cachedTokens()).multiply(java.math.BigInteger.valueOf(cached)))
                .add(java.math.BigInteger.valueOf(usage.cacheWriteTokens()).multiply(java.math.BigInteger.valueOf(write)))
                .add(java.math.BigInteger.valueOf(usage.completionTokens())
                        .multiply(java.math.BigInteger.valueOf(outputMicrosPerMTok)));
        var million = java.math.BigInteger.valueOf(1_000_000);
        return sum.add(million.shiftRight(1)).divide(million).longValueExact();
    }
}
