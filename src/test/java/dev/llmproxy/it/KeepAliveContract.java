package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Refusals never cost a caller its connection by surprise (#12): after any refusal the connection either carries
 * the next request, or the answer said {@code Connection: close} and the connection then ended cleanly, never with a
 * reset that could swallow the answer. Checked on a raw socket, with curl reusing its connection, and with the
 * official OpenAI and Anthropic SDKs, which pool theirs.
 */
interface KeepAliveContract extends Contract {

    /** One way to be refused: what is sent, and the status it gets. */
    record Refusal(String name, int status, String method, String path, String[] headers, byte[] body) {}

    private List<Refusal> refusals(String token) {
        String auth = "Authorization: Bearer " + token;
        byte[] chat = ("{\"model\":\"not-allowed-model\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(30_000) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        byte[] overLimit = new byte[2 * 1024 * 1024]; // the integration tests' max-request-body-bytes is 1 MiB
        return List.of(
                new Refusal("no token, body unread", 401, "POST", "/v1/chat/completions",
                        new String[] {"Content-Type: application/json", "Content-Length: " + chat.length}, chat),
                new Refusal("unknown path, body unread", 404, "POST", "/v1/not-proxied",
                        new String[] {auth, "Content-Type: application/json", "Content-Length: " + chat.length}, chat),
                new Refusal("model not allowed, body read", 403, "POST", "/v1/chat/completions",
                        new String[] {auth, "Content-Type: application/json", "Content-Length: " + chat.length}, chat),
                new Refusal("declared over the limit", 413, "POST", "/v1/chat/completions",
                        new String[] {auth, "Content-Type: application/json", "Content-Length: " + overLimit.length},
                        overLimit));
    }

    @Test
    default void afterEveryRefusalTheConnectionCarriesOnOrEndsCleanly() throws Exception {
        String project = project("keepalive", "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + project, "{\"allowed_models\":[\"gpt-mock\"]}").status());
        String token = token(project, "");
        for (Refusal refusal : refusals(token)) {
            for (int round = 0; round < 5; round++) {
                try (RawHttp connection = new RawHttp(server().baseUrl())) {
                    String context = server().baseUrl().substring(server().baseUrl().indexOf('/', 8));
                    connection.head(refusal.method(), context + refusal.path(), refusal.headers());
                    // the body goes while the answer comes, as a client that streams its upload does
                    CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
                        try {
                            connection.body(refusal.body());
                        } catch (IOException e) {
                            // an early answer may close the connection under the upload: allowed, if it said so
                        }
                    });
                    RawHttp.Response answer = connection.read();
                    assertEquals(refusal.status(), answer.status(), refusal.name() + ": " + answer.body());
                    assertTrue(answer.body().contains("\"error\""), refusal.name() + ": " + answer.body());
                    if (answer.announcesClose()) {
                        upload.get(20, TimeUnit.SECONDS);
                        assertEquals("closed", connection.howItEnded(), refusal.name() + ": announced a close");
                    } else {
                        upload.get(20, TimeUnit.SECONDS);
                        connection.head("GET", context + "/v1/models", "Authorization: Bearer " + token);
                        assertEquals(200, connection.read().status(), refusal.name() + ": the next request on the"
                                + " same connection");
                    }
                }
            }
        }
    }

    @Test
    default void curlReusesItsConnectionAcrossRefusals() throws Exception {
        String project = project("keepalive-curl", "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + project, "{\"allowed_models\":[\"gpt-mock\"]}").status());
        String token = token(project, "");
        Path refused = Files.createTempFile("refused", ".json");
        Files.writeString(refused, "{\"model\":\"not-allowed-model\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(20_000) + "\"}]}");
        Path allowed = Files.createTempFile("allowed", ".json");
        Files.writeString(allowed, "{\"model\":\"gpt-mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        String chat = server().baseUrl() + "/v1/chat/completions";
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--max-time", "20"));
        List<String> expected = new ArrayList<>();
        String[][] steps = {{refused.toString(), chat, "403"}, {allowed.toString(), chat, "200"},
            {refused.toString(), server().baseUrl() + "/v1/not-proxied", "404"}, {allowed.toString(), chat, "200"},
            {refused.toString(), chat, "403"}, {allowed.toString(), chat, "200"}};
        for (int i = 0; i < steps.length; i++) {
            if (i > 0) {
                command.add("--next");
            }
            command.addAll(List.of("-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n", "-H",
                    "Authorization: Bearer " + token, "-H", "Content-Type: application/json", "--data-binary",
                    "@" + steps[i][0], steps[i][1]));
            expected.add(steps[i][2]);
        }
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), "curl met no connection error:\n" + output);
        List<String> lines = output.lines().toList();
        assertEquals(expected, lines.stream().map(l -> l.split(" ")[0]).toList(), output);
        long connects = lines.stream().mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum();
        // one connection for all, plus one after each answer that said Connection: close (the unknown path's)
        assertTrue(connects <= 2, "connections opened: " + connects + "\n" + output);
    }

    @Test
    default void theOfficialSdksNeverMeetAResetAfterARefusal() {
        String openai = project("keepalive-sdk-openai", "openai", mock().baseUrl(), MockProvider.OPENAI_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + openai, "{\"allowed_models\":[\"gpt-mock\"]}").status());
        String anthropic = project("keepalive-sdk-anthropic", "anthropic", mock().baseUrl(), MockProvider.ANTHROPIC_KEY);
        assertEquals(200, admin().patch("/manage/projects/" + anthropic, "{\"allowed_models\":[\"claude-mock\"]}")
                .status());
        JsonNode result = NodeSdk.run("keepalive-check.mjs", Map.of(
                "OPENAI_BASE_URL", server().baseUrl() + "/v1", "OPENAI_API_KEY", token(openai, ""),
                "ANTHROPIC_BASE_URL", server().baseUrl(), "ANTHROPIC_API_KEY", token(anthropic, ""),
                "BODY_LIMIT", String.valueOf(1024 * 1024), "ROUNDS", "10"));
        assertEquals(0, result.path("errors").size(), result.toString());
        assertEquals(10, result.path("statuses").path("openai after a body over the limit").asInt(), result.toString());
    }
}
