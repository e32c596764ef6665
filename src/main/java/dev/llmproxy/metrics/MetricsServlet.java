package dev.llmproxy.metrics;

import dev.llmproxy.Components;
import dev.llmproxy.config.Settings;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code /metrics}: every meter in the Prometheus text format. Open unless {@code metrics-token} is set; then the
 * scraper sends it as a bearer token ({@code authorization.credentials} in a Prometheus scrape config).
 */
public final class MetricsServlet extends HttpServlet {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private transient Metrics metrics;
    private transient Optional<byte[]> token;

    @Override
    public void init() throws ServletException {
        metrics = Components.of(getServletContext(), Metrics.class);
        token = Components.of(getServletContext(), Settings.class).operations().metricsToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (token.isPresent() && !authorised(req.getHeader("Authorization"), token.get())) {
            resp.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"llm-proxy metrics\"");
            resp.setContentType("text/plain; charset=utf-8");
            resp.getWriter().write("metrics-token is set: send it as Authorization: Bearer <token>\n");
            return;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setContentType(CONTENT_TYPE);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static boolean authorised(String header, byte[] expected) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expected, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }
}
