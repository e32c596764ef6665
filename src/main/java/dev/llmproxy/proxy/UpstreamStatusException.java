package dev.llmproxy.proxy;

/** An upstream answered with a status that counts as its failure (429, 5xx): for its breaker and the log. */
final class UpstreamStatusException extends RuntimeException {
    UpstreamStatusException(int status) {
        super("upstream answered " + status, null, false, false);
    }
}
