package dev.llmproxy.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.Components;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers and the schema is
 * migrated; 503 otherwise ({@link Readiness}, at most a second old). Bodies name the database kind, schema and record
 * queue, never paths or credentials.
 */
public final class HealthServlet extends HttpServlet {
    private final ObjectMapper json = dev.llmproxy.JsonFactories.mapper();
    private transient Readiness readiness;

    @Override
    public void init() throws ServletException {
        readiness = Components.of(getServletContext(), Readiness.class);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/live" -> write(resp, 200, Map.of("status", "UP"));
            case "/ready" -> {
                Readiness.Answer answer = readiness.current();
                write(resp, answer.status(), answer.body());
            }
            default -> write(resp, 404, Map.of("status", "UNKNOWN", "detail", "Use /health/live or /health/ready"));
        }
    }

    private void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        json.writeValue(resp.getOutputStream(), body);
    }
}
