package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * What every container x database combination must show: the schema migrated on first start and untouched on the
 * second, health ready, management auth enforced, and an admin call written through JPA and read back.
 */
interface DeploymentContract extends Contract {
    String UPSTREAM_KEY = "sk-it-upstream-secret-key-5678";

    @Test
    default void firstStartAppliesEveryChangeSetAndIsReady() {
        // As /health/ready answered right after the first start: a later test may have restarted the container.
        Http.Response ready = deployment().firstStart();
        assertEquals(200, ready.status(), ready.body());
        JsonNode body = ready.json();
        assertEquals("UP", body.path("status").asText());
        assertEquals(db().kind(), body.path("database").path("kind").asText(), "the container's DataSource is used");
        long changeSets = db().count("SELECT COUNT(*) FROM databasechangelog");
        assertTrue(changeSets >= 3, "changelog applied");
        assertEquals(changeSets, body.path("schema").path("change_sets").asLong());
        assertEquals(changeSets, body.path("schema").path("applied_at_start").asLong());
        assertEquals(200, admin().get("/health/live").status());
    }

    @Test
    default void adminApiRefusesMissingAndWrongManagementToken() {
        for (Http client : new Http[] {new Http(server().baseUrl(), null), admin().withBearer("wrong-token")}) {
            Http.Response r = client.get("/manage/projects");
            assertEquals(401, r.status(), r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            assertEquals("invalid_management_token", r.json().path("code").asText());
            assertTrue(r.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
        }
    }

    @Test
    default void projectCreatedThroughTheApiIsStoredEncryptedAndReadsBack() {
        Http.Response created = admin().post("/manage/projects",
                "{\"name\":\"it-project\",\"provider\":\"openai\",\"api_key\":\"" + UPSTREAM_KEY + "\"}");
        assertEquals(201, created.status(), created.body());
        JsonNode project = created.json();
        String projectId = project.path("id").asText();
        assertFalse(created.body().contains(UPSTREAM_KEY), "the upstream key is never returned");
        assertEquals("sk-…5678", project.path("api_key_hint").asText());

        Http.Response read = admin().get("/manage/projects/" + projectId);
        assertEquals(200, read.status());
        assertEquals(project, read.json(), "what was written reads back unchanged, timestamps included");

        assertEquals(1, db().count("SELECT COUNT(*) FROM projects WHERE id = '" + projectId + "'"));
        String stored = db().strings("SELECT api_key_ciphertext FROM project_upstreams WHERE project_id = '" + projectId
                + "'").get(0);
        assertFalse(stored.contains(UPSTREAM_KEY), "the key is encrypted at rest");
    }

    @Test
    default void badInputIsRefusedWithProblemJsonNamingTheField() {
        Http.Response r = admin().post("/manage/projects", "{\"name\":\"\",\"provider\":\"openai\",\"api_key\":\"k\"}");
        assertEquals(400, r.status(), r.body());
        assertEquals("name", r.json().path("field").asText());
        Http.Response first = admin().post("/manage/projects",
                "{\"name\":\"it-duplicate\",\"provider\":\"openai\",\"api_key\":\"" + UPSTREAM_KEY + "\"}");
        assertEquals(201, first.status(), first.body());
        Http.Response duplicate = admin().post("/manage/projects",
                "{\"name\":\"it-duplicate\",\"provider\":\"openai\",\"api_key\":\"other-key-123456\"}");
        assertEquals(409, duplicate.status(), duplicate.body());
    }

    @Test
    default void secondStartAppliesNothingAndKeepsTheData() {
        Http.Response created = admin().post("/manage/projects",
                "{\"name\":\"it-survivor\",\"provider\":\"openai\",\"api_key\":\"" + UPSTREAM_KEY + "\"}");
        assertEquals(201, created.status(), created.body());
        long changeSets = db().count("SELECT COUNT(*) FROM databasechangelog");
        server().stop();
        server().start();
        JsonNode schema = admin().get("/health/ready").json().path("schema");
        assertEquals(0, schema.path("applied_at_start").asLong(), "nothing re-applied");
        assertEquals(changeSets, schema.path("change_sets").asLong());
        assertEquals(changeSets, db().count("SELECT COUNT(*) FROM databasechangelog"));
        Http.Response read = admin().get("/manage/projects/" + created.json().path("id").asText());
        assertEquals(200, read.status(), read.body());
        assertEquals("it-survivor", read.json().path("name").asText());
    }
}
