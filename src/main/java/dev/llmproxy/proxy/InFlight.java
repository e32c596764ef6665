package dev.llmproxy.proxy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all calls hold together, bounded so that no number of callers can exhaust the proxy (#13): the request-body
 * bytes in memory ({@code max-body-bytes-in-flight}) and the calls running per proxy token
 * ({@code max-concurrent-calls-per-token}).
 */
final class InFlight {
    private final long maxBodyBytes;
    private final int maxCallsPerToken;
    private final AtomicLong bodyBytes = new AtomicLong();
    private final ConcurrentHashMap<String, Integer> callsByToken = new ConcurrentHashMap<>();

    /** @param maxCallsPerToken 0: no limit */
    InFlight(long maxBodyBytes, int maxCallsPerToken) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxCallsPerToken = maxCallsPerToken;
    }

    /** Takes {@code n} more body bytes; false (taking nothing) when that would pass the limit. */
    boolean takeBodyBytes(long n) {
        while (true) {
            long held = bodyBytes.get();
            if (held + n > maxBodyBytes) {
                return false;
            }
            if (bodyBytes.compareAndSet(held, held + n)) {
                return true;
            }
        }
    }

    void giveBodyBytes(long n) {
        bodyBytes.addAndGet(-n);
    }

    /** A call of this token starts; false when the token already has its limit of calls running. */
    boolean startCall(String tokenId) {
        if (maxCallsPerToken == 0) {
            return true;
        }
        boolean[] started = {false};
        // one atomic step per token: a call that ends meanwhile cannot drop the entry this one counts in
        callsByToken.compute(tokenId, (t, running) -> {
            int n = running == null ? 0 : running;
            started[0] = n < maxCallsPerToken;
            return started[0] ? n + 1 : running;
        });
        return started[0];
    }

    void endCall(String tokenId) {
        if (maxCallsPerToken == 0) {
            return;
        }
        // the entry goes when its last call ends, so that the map holds only tokens with calls running
        callsByToken.computeIfPresent(tokenId, (t, running) -> running <= 1 ? null : running - 1);
    }

    /** Calls of the token running now. */
    int calls(String tokenId) {
        return callsByToken.getOrDefault(tokenId, 0);
    }

    long bodyBytes() {
        return bodyBytes.get();
    }

    void bindMetrics(MeterRegistry registry) {
        Gauge.builder("llmproxy.request.body.bytes", bodyBytes, AtomicLong::get)
                .description("Request-body bytes held by the calls in flight").baseUnit("bytes").register(registry);
    }
}
