package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Names what went wrong when an attempt failed before the provider's first byte, as the caller's error. The text is
 * the proxy's own: an exception's message (internal host names, TLS details) goes to the log, never to the caller.
 */
final class FailureClassifier {
    private final long connectTimeoutMs;
    private final long backstopMs;

    /**
     * @param connectTimeoutMs the client's connect timeout ({@code connect-timeout-ms})
     * @param backstopMs       the client's own idle timeout behind the watchdog ({@link OutboundRequests})
     */
    FailureClassifier(long connectTimeoutMs, long backstopMs) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.backstopMs = backstopMs;
    }

    /**
     * Names what went wrong when the provider's answer broke off after it began: the idle timeout's own error, else
     * the answer was cut (a reset, a closed connection, a malformed chunk).
     */
    DomainException midway(String provider, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DomainException known) {
                return known;
            }
        }
        return ProxyRefusal.upstreamBrokeOff(provider);
    }

    DomainException classify(String provider, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DomainException known) {
                return known; // the watchdog's own timeout, or a refusal raised while sending
            }
            if (t instanceof dev.llmproxy.provider.CredentialsUnavailableException) {
                return ProxyRefusal.upstreamUnavailable(provider, "its request could not be signed: " + t.getMessage());
            }
            if (t instanceof SocketTimeoutException) {
                // Jetty's connect timeout ("Connect Timeout"); reads are timed by the watchdog and the idle backstop
                return ProxyRefusal.upstreamTimeout(provider, "accept the connection", connectTimeoutMs);
            }
            if (t instanceof TimeoutException) {
                return ProxyRefusal.upstreamTimeout(provider, "answer", backstopMs); // the client's idle backstop
            }
            if (t instanceof ConnectException) {
                return ProxyRefusal.upstreamUnavailable(provider, "connection refused");
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return ProxyRefusal.upstreamUnavailable(provider, "its host name could not be resolved");
            }
            if (t instanceof SSLException) {
                return ProxyRefusal.upstreamUnavailable(provider, "the TLS handshake failed");
            }
            if (t instanceof ClosedChannelException || t instanceof java.io.EOFException
                    || t instanceof org.eclipse.jetty.io.EofException) {
                return ProxyRefusal.upstreamUnavailable(provider, "the connection was closed before it answered");
            }
        }
        return ProxyRefusal.upstreamUnavailable(provider, "the connection failed");
    }
}
