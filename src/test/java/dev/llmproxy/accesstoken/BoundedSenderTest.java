package dev.llmproxy.accesstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.llmproxy.DomainException;
import dev.llmproxy.provider.EntraApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A token endpoint's answer is read within bounds (review of #15): a body that drips is given up at the timeout, not
 * after it has dripped for as long as it likes, and one larger than a token answer is not read whole; a plain answer is
 * read as Nimbus's own sender would.
 */
class BoundedSenderTest {
    private static final EntraApplication APP = new EntraApplication("contoso.onmicrosoft.com",
            "11111111-2222-3333-4444-555555555555", "s3cr3t-value");
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n";

    /** Plays one answer to one request on a raw socket: {@code answer} writes it. */
    private interface Answer {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private static DomainException refused(Answer answer) throws Exception {
        return assertThrows(DomainException.class, () -> ask(answer));
    }

    private static TokenEndpoint.Issued ask(Answer answer) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> endpoint = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    answer.write(s.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // the proxy gave up and closed: what the test is about
                }
            });
            try {
                TokenRequest request = new TokenRequest(URI.create("http://127.0.0.1:" + server.getLocalPort()
                        + "/token"), new ClientSecretPost(new ClientID("c"), new Secret("s3cr3t-value")),
                        new ClientCredentialsGrant(), new Scope("x"));
                return new OAuthExchange(500).send(request, APP, "the test endpoint", "s3cr3t-value");
            } finally {
                endpoint.cancel(true);
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
    }

    @Test
    void aPlainAnswerIsReadAsATokenWithItsLifetime() throws Exception {
        byte[] body = "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ0.eyJ1.c2ln\"}"
                .getBytes(StandardCharsets.UTF_8);
        TokenEndpoint.Issued issued = ask(out -> {
            out.write((HEAD + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        });
        assertEquals("eyJ0.eyJ1.c2ln", issued.accessToken());
        assertEquals(3599, issued.lifetimeSeconds());
    }

    @Test
    void anAnswerThatDripsIsGivenUpAtTheTimeout() throws Exception {
        long start = System.nanoTime();
        DomainException e = refused(out -> {
            out.write((HEAD + "\r\n{").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) { // 20 s in all, each byte well within the 500 ms read timeout
                out.flush();
                Thread.sleep(200);
                out.write(' ');
            }
        });
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("upstream_credentials_unavailable", e.code());
        assertTrue(tookMs < 2_000, "given up at the 500 ms timeout, not after 20 s: " + tookMs + " ms");
    }

    @Test
    void anAnswerLargerThanATokenAnswerIsNotReadWhole() throws Exception {
        DomainException e = refused(out -> {
            out.write((HEAD + "\r\n{\"access_token\":\"").getBytes(StandardCharsets.US_ASCII));
            byte[] filler = new byte[64 * 1024];
            java.util.Arrays.fill(filler, (byte) 'a');
            for (int i = 0; i < 64; i++) { // 4 MiB
                out.write(filler);
            }
        });
        assertEquals("upstream_credentials_unavailable", e.code());
        assertTrue(e.getMessage().contains("more than a token answer holds"), e.getMessage());
    }
}
