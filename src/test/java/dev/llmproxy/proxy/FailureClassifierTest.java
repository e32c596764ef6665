package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.llmproxy.DomainException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
    private final FailureClassifier classifier = new FailureClassifier(2_000, 65_000);

    private DomainException classify(Throwable failure) {
        return classifier.classify("openai", failure);
    }

    @Test
    void onlyTheConnectTimeoutSaysTheConnectionWasNotAccepted() {
        DomainException connect = classify(new SocketTimeoutException("Connect Timeout"));
        assertEquals("upstream_timeout", connect.code());
        assertEquals("The openai provider did not accept the connection within 2000 ms", connect.getMessage());

        DomainException idle = classify(new TimeoutException("Idle timeout 65000 ms expired"));
        assertEquals("upstream_timeout", idle.code());
        assertEquals("The openai provider did not answer within 65000 ms", idle.getMessage(),
                "the idle-timeout backstop is not a connect failure");
        assertEquals(504, idle.kind().status());
    }

    @Test
    void connectionFailuresAreNamedWithoutTheExceptionsText() {
        assertEquals("Could not reach the openai provider: connection refused",
                classify(new ConnectException("Connection refused: internal-llm.corp.example:8443")).getMessage());
        assertEquals("Could not reach the openai provider: its host name could not be resolved",
                classify(new UnresolvedAddressException()).getMessage());
        DomainException tls = classify(new IOException("wrapped",
                new SSLHandshakeException("PKIX path building failed: cn=internal-ca.corp.example")));
        assertEquals("Could not reach the openai provider: the TLS handshake failed", tls.getMessage());
        DomainException other = classify(new IllegalStateException("secret-host.corp.example:1234 exploded"));
        assertEquals("upstream_unavailable", other.code());
        assertEquals(502, other.kind().status());
        assertFalse(other.getMessage().contains("corp.example"), other.getMessage());
    }

    @Test
    void theWatchdogsOwnTimeoutIsKept() {
        DomainException watchdog = ProxyRefusal.upstreamTimeout("anthropic", "send the next chunk", 300);
        assertSame(watchdog, classify(watchdog));
        assertSame(watchdog, classify(new IOException("aborted", watchdog)));
    }
}
