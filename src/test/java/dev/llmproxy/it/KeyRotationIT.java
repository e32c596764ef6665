package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Master key rotation for real (#14), against the deployed WAR on one database and data directory, the container
 * started three times: with key A; with B current and A retired (old token still works, new secrets go under B,
 * re-encrypt re-seals everything); with B alone. Proxy calls through the tokens issued under A, and audit
 * verification, work in every phase.
 */
class KeyRotationIT {
    private static final String KEY_A = Base64.getEncoder().encodeToString(fill(0x11));
    private static final String KEY_B = Base64.getEncoder().encodeToString(fill(0x22));
    private static final int CALLS_PER_PHASE = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tomcat/sqlite", "tomcat/postgresql", "wildfly/sqlite"})
    void rotatingTheMasterKeyKeepsTokensProviderKeysAndTheAuditChainWorking(String combination) throws Exception {
        String container = combination.split("/")[0];
        TestDatabase db = Deployments.database(combination.split("/")[1], "keys-" + container);
        Path dataDir = ItEnv.workDir("data-keys");
        String a = keyId(KEY_A);
        String b = keyId(KEY_B);
        try (MockProvider mock = new MockProvider()) {
            // Phase 1: key A only. Two projects, so two provider keys, and a token for each.
            List<String> tokens;
            try (AppServer server = start(container, db, dataDir, KEY_A, null)) {
                Http admin = admin(server);
                tokens = List.of(tokenFor(admin, project(admin, mock, "rot-1")),
                        tokenFor(admin, project(admin, mock, "rot-2")));
                calls(server, tokens, "phase 1, key A");
                JsonNode keys = admin.get("/manage/keys").json();
                assertEquals(a, keys.path("current_key_id").asText());
                assertEquals(2, use(keys, a).path("provider_keys").asLong());
                assertEquals(2, use(keys, a).path("installation_keys").asLong());
                assertEquals(0, keys.path("pending_re_encryption").asLong(), keys.toString());
                verifyAudit(admin, "phase 1");
            }

            // Phase 2: B current, A retired. Old tokens and provider keys work; a new project's key goes under B.
            String reEncryptedAt;
            try (AppServer server = start(container, db, dataDir, KEY_B, KEY_A)) {
                Http admin = admin(server);
                calls(server, tokens, "phase 2, B current + A retired, before re-encrypt");
                String third = tokenFor(admin, project(admin, mock, "rot-3"));
                JsonNode before = admin.get("/manage/keys").json();
                assertEquals(b, before.path("current_key_id").asText());
                assertEquals("retired", use(before, a).path("status").asText());
                assertEquals(1, use(before, b).path("provider_keys").asLong(), "new secrets are sealed under B");
                assertEquals(4, before.path("pending_re_encryption").asLong(), "2 provider + 2 installation keys");
                verifyAudit(admin, "phase 2 before re-encrypt");

                Http.Response reEncrypt = admin.post("/manage/keys/re-encrypt", "");
                assertEquals(200, reEncrypt.status(), reEncrypt.body());
                JsonNode done = reEncrypt.json();
                System.out.printf("[keys] %s: re-encrypt re-sealed %d provider keys and %d installation keys from %s"
                        + " under %s%n", combination, done.path("provider_keys_resealed").asLong(),
                        done.path("installation_keys_resealed").asLong(), done.path("from_key_ids"), b);
                assertEquals(2, done.path("provider_keys_resealed").asLong(), done.toString());
                assertEquals(2, done.path("installation_keys_resealed").asLong(), done.toString());
                assertEquals(0, done.path("status").path("pending_re_encryption").asLong(), done.toString());
                assertTrue(done.path("status").path("older_keys_retirable").asBoolean());
                JsonNode events = admin.get("/manage/audit?action=keys.re_encrypted").json();
                assertEquals(1, events.path("total").asLong(), "audited as an admin action: " + events);
                reEncryptedAt = events.path("items").path(0).path("id").asText();
                tokens = List.of(tokens.get(0), tokens.get(1), third);
                calls(server, tokens, "phase 2, after re-encrypt");
                verifyAudit(admin, "phase 2 after re-encrypt");
            }
            assertEquals(List.of(b), db.strings("SELECT DISTINCT api_key_key_id FROM project_upstreams"),
                    "nothing left under A in the database");
            assertEquals(List.of(b), db.strings("SELECT DISTINCT key_id FROM installation_keys"));

            // Phase 3: B alone.
            try (AppServer server = start(container, db, dataDir, KEY_B, null)) {
                Http admin = admin(server);
                calls(server, tokens, "phase 3, key B only");
                JsonNode keys = admin.get("/manage/keys").json();
                assertEquals(3, use(keys, b).path("provider_keys").asLong());
                assertEquals(0, keys.path("pending_re_encryption").asLong());
                assertEquals("not_configured", use(keys, a).path("status").asText());
                assertEquals(0, use(keys, a).path("provider_keys").asLong());
                JsonNode event = admin.get("/manage/audit/" + reEncryptedAt).json();
                assertEquals("master_key", event.path("target_type").asText(), event.toString());
                verifyAudit(admin, "phase 3");
            }
        }
    }

    private static AppServer start(String container, TestDatabase db, Path dataDir, String key, String retired) {
        Map<String, String> settings = new LinkedHashMap<>(Deployment.TEST_SETTINGS);
        settings.put("llmproxy.data-dir", dataDir.toString());
        settings.put("llmproxy.management-token", Deployment.MANAGEMENT_TOKEN);
        settings.put("llmproxy.encryption-key", key);
        if (retired != null) {
            settings.put("llmproxy.encryption-keys-retired", retired);
        }
        AppServer server = Deployments.create(container, db, settings, Map.of());
        try {
            server.start();
            return server;
        } catch (RuntimeException | Error e) {
            server.stop();
            throw e;
        }
    }

    private static Http admin(AppServer server) {
        return new Http(server.baseUrl(), Deployment.MANAGEMENT_TOKEN);
    }

    private static String project(Http admin, MockProvider mock, String name) {
        Http.Response created = admin.post("/manage/projects", "{\"name\":\"" + name + "\",\"provider\":\"openai\","
                + "\"base_url\":\"" + mock.baseUrl() + "\",\"api_key\":\"" + MockProvider.OPENAI_KEY + "\"}");
        assertEquals(201, created.status(), created.body());
        return created.json().path("id").asText();
    }

    private static String tokenFor(Http admin, String projectId) {
        Http.Response issued = admin.post("/manage/tokens", "{\"project_id\":\"" + projectId
                + "\",\"duration_minutes\":60}");
        assertEquals(201, issued.status(), issued.body());
        return issued.json().path("token").asText();
    }

    /** Every token makes CALLS_PER_PHASE calls; the mock answers 200 only to the right provider key. */
    private static void calls(AppServer server, List<String> tokens, String phase) throws Exception {
        int ok = 0;
        for (String token : tokens) {
            for (int i = 0; i < CALLS_PER_PHASE; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/v1/chat/completions")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":"
                                + "\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), phase + ": " + r.body());
                ok++;
            }
        }
        System.out.printf("[keys] %s on %s: %d of %d calls answered 200%n", phase, server.name(), ok,
                tokens.size() * CALLS_PER_PHASE);
    }

    private static void verifyAudit(Http admin, String phase) {
        JsonNode verify = admin.get("/manage/audit/verify").json();
        System.out.printf("[keys] %s: audit verify valid=%s checked=%d%n", phase, verify.path("valid").asBoolean(),
                verify.path("checked").asLong());
        assertTrue(verify.path("valid").asBoolean(), phase + ": " + verify);
        assertTrue(verify.path("checked").asLong() > 0, phase + ": " + verify);
    }

    private static JsonNode use(JsonNode status, String keyId) {
        for (JsonNode k : status.path("keys")) {
            if (k.path("key_id").asText().equals(keyId)) {
                return k;
            }
        }
        throw new AssertionError("key " + keyId + " not in " + status);
    }

    static String keyId(String base64Key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key.trim()));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static byte[] fill(int value) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) value);
        return raw;
    }
}
