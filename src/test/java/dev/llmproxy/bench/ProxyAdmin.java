package dev.llmproxy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The calls the bench makes to a proxy: a project per mock behaviour and a token for it (admin API), the recorded
 * totals (usage API), and the heap in use and records queued (/metrics).
 */
final class ProxyAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String managementToken;

    ProxyAdmin(String baseUrl, String managementToken) {
        this.baseUrl = baseUrl;
        this.managementToken = managementToken;
    }

    /** A project whose upstream is {@code upstreamBaseUrl} (OpenAI-compatible), and a day-long token for it. */
    Project project(String name, String upstreamBaseUrl) {
        JsonNode project = send("POST", "/manage/projects", JSON.createObjectNode().put("name", name)
                .put("provider", "openai-compatible").put("base_url", upstreamBaseUrl).put("api_key", "sk-bench-mock")
                .toString(), 201);
        String id = project.path("id").asText();
        JsonNode token = send("POST", "/manage/tokens", JSON.createObjectNode().put("project_id", id)
                .put("duration_minutes", 1440).toString(), 201);
        return new Project(id, token.path("token").asText());
    }

    record Project(String id, String token) {
    }

    /** Requests recorded for a project, once every record the proxy has queued is written. */
    long recordedRequests(String projectId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (queuedRecords() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return send("GET", "/manage/usage?project_id=" + projectId, null, 200).path("total").path("requests")
                .asLong();
    }

    /** Heap in use (all heap pools of jvm_memory_used_bytes) in MiB, from the proxy's /metrics. */
    double heapUsedMib() {
        return metricSum(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\"")) / (1024 * 1024);
    }

    private double queuedRecords() {
        return metricSum(l -> l.startsWith("llmproxy_records_queued"));
    }

    /** The sum of the values of the /metrics lines (Prometheus text) that {@code line} accepts. */
    private double metricSum(java.util.function.Predicate<String> line) {
        return raw("GET", "/metrics", null).body().lines().filter(line)
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private JsonNode send(String method, String path, String body, int expected) {
        HttpResponse<String> response = raw(method, path, body);
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON from " + path + ": " + response.body(), e);
        }
    }

    private HttpResponse<String> raw(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + managementToken).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
