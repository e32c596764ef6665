package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every contract stands on: the {@link Deployment} of the class that runs it (see {@link DeploymentExtension})
 * and the calls the contracts share: make a project and a token, call the proxy. A contract is an interface of
 * default {@code @Test} methods extending this one; each test makes the projects and tokens it needs, so that the
 * contracts run in any order and in any combination. Test names start with the contract's name (see
 * {@link ContractNames}).
 */
@DisplayNameGeneration(ContractNames.class)
@ExtendWith(ContractNames.InFailures.class)
interface Contract {
    ObjectMapper JSON = new ObjectMapper();
    /** The response header that carries the call's record id. */
    String REQUEST_ID = "x-llm-proxy-request-id";

    /** The running deployment; the IT class answers with its {@link DeploymentExtension}'s. */
    Deployment deployment();

    default AppServer server() {
        return deployment().server();
    }

    default TestDatabase db() {
        return deployment().db();
    }

    default MockProvider mock() {
        return deployment().mock();
    }

    default Http admin() {
        return deployment().admin();
    }

    default HttpClient http() {
        return deployment().http();
    }

    /** Creates a project; {@code name} gets a suffix that makes it unique. Returns the project's id. */
    default String project(String name, String provider, String baseUrl, String key) {
        Http.Response r = admin().post("/manage/projects", "{\"name\":\"" + deployment().unique(name) + "\",\"provider\":\""
                + provider + "\",\"base_url\":\"" + baseUrl + "\",\"api_key\":\"" + key + "\"}");
        assertEquals(201, r.status(), r.body());
        return r.json().path("id").asText();
    }

    /** A project on the mock's OpenAI API. */
    default String openAiProject(String name) {
        return project(name, "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
    }

    /** A project on the mock's Anthropic API. */
    default String anthropicProject(String name) {
        return project(name, "anthropic", mock().baseUrl(), MockProvider.ANTHROPIC_KEY);
    }

    /** Issues a token for an hour; {@code extra} is more JSON members, e.g. {@code ,"rpm_limit":3}. */
    default String token(String projectId, String extra) {
        return issue(projectId, extra).token();
    }

    /** A token issued by the admin API: its secret and its id (what request_records.token_id holds). */
    record Issued(String token, String id) {
        /** Counts the token's request records. */
        String recordsQuery() {
            return "SELECT COUNT(*) FROM request_records WHERE token_id = '" + id + "'";
        }
    }

    /** Issues a token for an hour, as {@link #token}, and tells its id too. */
    default Issued issue(String projectId, String extra) {
        Http.Response r = admin().post("/manage/tokens", "{\"project_id\":\"" + projectId + "\",\"duration_minutes\":60"
                + extra + "}");
        assertEquals(201, r.status(), r.body());
        return new Issued(r.json().path("token").asText(), r.json().path("id").asText());
    }

    default HttpRequest.Builder request(String token, String path) {
        return HttpRequest.newBuilder(URI.create(server().baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    default HttpRequest.Builder get(String token, String path) {
        return request(token, path).GET();
    }

    default HttpRequest.Builder post(String token, String path, byte[] body) {
        return request(token, path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    default HttpRequest.Builder chat(String token, String model, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return post(token, "/v1/chat/completions", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a call to the proxy (see {@link Deployment#call}). */
    default HttpResponse<String> call(HttpRequest.Builder request) throws Exception {
        return deployment().call(request);
    }

    /**
     * Waits for a task run in an executor and fails as it failed: an assertion that failed there fails the test,
     * with its own message rather than wrapped in an ExecutionException.
     */
    static <T> T join(Future<T> task, Duration timeout) throws Exception {
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {spent, reserved} in micro-USD of a budget scope's ledger ({@code project} or {@code token} and its id). */
    default long[] ledger(String scope, String id) throws Exception {
        try (Connection c = db().connect(); PreparedStatement s = c.prepareStatement("SELECT SUM(spent_micros),"
                + " SUM(reserved_micros) FROM budget_ledger WHERE scope = ? AND scope_id = ?")) {
            s.setString(1, scope);
            s.setString(2, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Waits up to 5 s for {@code sql} (a COUNT) to give {@code expected}. */
    default void awaitCount(String sql, long expected) throws Exception {
        Poll.until(Duration.ofSeconds(5), sql + " = " + expected, () -> db().count(sql), n -> n == expected);
    }
}
