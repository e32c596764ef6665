package dev.llmproxy.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small JSON-over-HTTP client for the tests: real requests, no mocks. */
final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Optional<String> bearer;
    private final java.util.Map<String, String> extra;

    Http(String baseUrl, String bearer) {
        this(baseUrl, bearer, java.util.Map.of());
    }

    private Http(String baseUrl, String bearer, java.util.Map<String, String> extra) {
        this.baseUrl = baseUrl;
        this.bearer = Optional.ofNullable(bearer);
        this.extra = extra;
    }

    Http withBearer(String token) {
        return new Http(baseUrl, token, extra);
    }

    /** The same client, sending one more header with every request. */
    Http withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(extra);
        more.put(name, value);
        return new Http(baseUrl, bearer.orElse(null), more);
    }

    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (status " + status + "): " + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("content-type").orElse("");
        }
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response post(String path, String json) {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response patch(String path, String json) {
        return send(request(path).header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Response put(String path, String json) {
        return send(request(path).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        bearer.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        extra.forEach(b::header);
        return b;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
