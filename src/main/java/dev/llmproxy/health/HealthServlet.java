package dev.llmproxy.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.Components;
import dev.llmproxy.persistence.ApplicationDataSource;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.proxy.ProxyServices;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: the database answers and the schema is
 * migrated; 503 otherwise. Bodies name the database kind and schema state, never paths or credentials.
 */
public final class HealthServlet extends HttpServlet {
    private static final int DB_CHECK_TIMEOUT_SECONDS = 2;
    private final ObjectMapper json = new ObjectMapper();
    private transient ApplicationDataSource dataSource;
    private transient SchemaMigrator.Result schema;
    private transient ProxyServices proxy;

    @Override
    public void init() throws ServletException {
        dataSource = Components.of(getServletContext(), ApplicationDataSource.class);
        schema = Components.of(getServletContext(), SchemaMigrator.Result.class);
        proxy = Components.of(getServletContext(), ProxyServices.class);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/live" -> write(resp, 200, Map.of("status", "UP"));
            case "/ready" -> ready(resp);
            default -> write(resp, 404, Map.of("status", "UNKNOWN", "detail", "Use /health/live or /health/ready"));
        }
    }

    private void ready(HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        String problem = databaseProblem(dataSource.dataSource());
        body.put("status", problem == null ? "UP" : "DOWN");
        Map<String, Object> database = new LinkedHashMap<>();
        database.put("kind", dataSource.kind().id());
        database.put("reachable", problem == null);
        if (problem != null) {
            database.put("error", problem);
        }
        body.put("database", database);
        body.put("schema", Map.of("change_sets", schema.total(), "applied_at_start", schema.appliedNow()));
        body.put("calls_in_flight", proxy.callLog().inFlight());
        write(resp, problem == null ? 200 : 503, body);
    }

    private static String databaseProblem(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(DB_CHECK_TIMEOUT_SECONDS) ? null : "connection is not valid";
        } catch (SQLException e) {
            return "cannot connect (" + e.getSQLState() + ")";
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
