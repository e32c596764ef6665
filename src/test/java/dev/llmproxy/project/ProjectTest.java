package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.InvalidFieldException;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProjectTest {
    private final KeyCipher cipher = new KeyCipher(new byte[32], new SecureRandom());
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void keyIsSealedAndOnlyAHintIsKept() {
        Project p = new Project("team", Provider.OPENAI, null, "sk-proj-abcdefghij1234", cipher, now);
        Upstream only = p.primaryUpstream();
        assertEquals("default", only.name());
        assertEquals(p.id(), only.id(), "the first upstream shares the project's id, as migrated keys do");
        assertEquals("sk-…1234", only.apiKeyHint());
        assertEquals("sk-proj-abcdefghij1234", only.apiKey(cipher));
        assertEquals("https://api.openai.com", only.effectiveBaseUrl());
    }

    @Test
    void openAiCompatibleNeedsABaseUrl() {
        var e = assertThrows(InvalidFieldException.class,
                () -> new Project("t", Provider.OPENAI_COMPATIBLE, null, "k", cipher, now));
        assertEquals("base_url", e.field());
    }

    @Test
    void baseUrlIsTheUrlBeforeV1() {
        assertThrows(InvalidFieldException.class,
                () -> new Project("t", Provider.OPENAI, "http://127.0.0.1:9/v1", "k", cipher, now));
        assertThrows(InvalidFieldException.class,
                () -> new Project("t", Provider.OPENAI, "ftp://example.com", "k", cipher, now));
        Project p = new Project("t", Provider.OPENAI, "http://127.0.0.1:9/", "k", cipher, now);
        assertEquals("http://127.0.0.1:9", p.primaryUpstream().effectiveBaseUrl());
    }

    @Test
    void anAzureBaseUrlIsTheResourceEndpointWithoutOpenai() {
        var e = assertThrows(InvalidFieldException.class, () -> new Project("t", Provider.AZURE_OPENAI,
                "https://acme.openai.azure.com/openai/", "k", cipher, now));
        assertEquals("base_url", e.field());
        assertTrue(e.getMessage().contains("drop the trailing /openai"), e.getMessage());
        Project p = new Project("t", Provider.AZURE_OPENAI, "https://acme.openai.azure.com", "k", cipher, now);
        assertEquals("https://acme.openai.azure.com", p.primaryUpstream().effectiveBaseUrl());
        // another provider may sit under a path named so
        assertEquals("http://127.0.0.1:9/openai", new Project("t", Provider.OPENAI_COMPATIBLE,
                "http://127.0.0.1:9/openai", "k", cipher, now).primaryUpstream().effectiveBaseUrl());
    }

    @Test
    void blankNameAndBlankKeyAreRefused() {
        assertEquals("name", assertThrows(InvalidFieldException.class,
                () -> new Project(" ", Provider.OPENAI, null, "k", cipher, now)).field());
        assertEquals("api_key", assertThrows(InvalidFieldException.class,
                () -> new Project("t", Provider.OPENAI, null, "", cipher, now)).field());
    }

    @Test
    void anAzureKeyNamingAMalformedEntraApplicationIsRefusedAndAWellFormedOneSealed() {
        var e = assertThrows(InvalidFieldException.class, () -> new Project("t", Provider.AZURE_OPENAI,
                "https://acme.openai.azure.com", "entra:tenant-only", cipher, now));
        assertEquals("api_key", e.field());
        assertFalse(e.getMessage().contains("tenant-only"), e.getMessage());
        String key = "entra:contoso.onmicrosoft.com:0b3c5e1a-7d2f-4c8e-9a6b-1f2e3d4c5b6a:s3cr3t~value";
        Project p = new Project("t", Provider.AZURE_OPENAI, "https://acme.openai.azure.com", key, cipher, now);
        assertEquals(key, p.primaryUpstream().apiKey(cipher));
        assertEquals("api_key", assertThrows(InvalidFieldException.class, () -> p.primaryUpstream()
                .replaceApiKey("entra:a:b:c", cipher, now)).field(), "also when the key is replaced");
    }

    /** A hint never shows part of a secret inside the key: Bedrock's names the access key id, Vertex's the account. */
    @Test
    void keyHintsNameTheCredentialsAndShowNoPartOfTheirSecret() throws Exception {
        Project aws = new Project("t", Provider.BEDROCK, null,
                "AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", cipher, now);
        assertEquals("AKI…MPLE", aws.primaryUpstream().apiKeyHint());
        assertEquals("aws-default-chain", new Project("t", Provider.BEDROCK, null, "aws-default-chain", cipher, now)
                .primaryUpstream().apiKeyHint());
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String account = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("type", "service_account").put("project_id", "my-project").put("private_key_id", "abc123")
                .put("private_key", pem).put("client_email", "llm-proxy@my-project-123456.iam.gserviceaccount.com")
                .put("token_uri", "https://oauth2.googleapis.com/token").toString();
        Project vertex = new Project("t", Provider.VERTEX_AI, null, account, cipher, now);
        assertEquals("llm-proxy@my-project-123456.iam…", vertex.primaryUpstream().apiKeyHint(),
                "the account's e-mail, cut to the column's 32 characters");
        assertEquals(account, vertex.primaryUpstream().apiKey(cipher));
    }

    @Test
    void deactivationRecordsWhenAndActivationClearsIt() {
        Project p = new Project("t", Provider.ANTHROPIC, null, "sk-ant-0123456789", cipher, now);
        p.deactivate(now.plusSeconds(5));
        assertFalse(p.isActive());
        assertEquals(now.plusSeconds(5), p.deactivatedAt().orElseThrow());
        p.activate(now.plusSeconds(9));
        assertTrue(p.isActive());
        assertTrue(p.deactivatedAt().isEmpty());
    }

    @Test
    void upstreamsAreTriedByPriorityThenNameAndEachKeyIsItsOwn() {
        Project p = new Project("t", Provider.OPENAI, null, "sk-first-0123456789", cipher, now);
        Upstream backup = p.addUpstream("backup", Provider.OPENAI_COMPATIBLE, "http://127.0.0.1:9", "sk-backup-0123",
                java.util.List.of("gpt-4o*"), 5, cipher, now);
        Upstream early = p.addUpstream("early", Provider.OPENAI, null, "sk-early-0123456", java.util.List.of(), 0,
                cipher, now);
        assertEquals(java.util.List.of("default", "early", "backup"), p.upstreams().stream().map(Upstream::name).toList());
        assertEquals("sk-backup-0123", backup.apiKey(cipher));
        assertEquals("sk-early-0123456", early.apiKey(cipher));
        assertTrue(backup.models().allows("gpt-4o-mini"));
        assertFalse(backup.models().allows("o3"));
        p.changeUpstream(backup.id(), new UpstreamChanges(java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.of(0)), cipher, now);
        assertEquals("backup", p.primaryUpstream().name());
    }

    @Test
    void upstreamsMustSpeakTheProjectsApiHaveUniqueNamesAndOneMustRemain() {
        Project p = new Project("t", Provider.OPENAI, null, "sk-first-0123456789", cipher, now);
        assertEquals("provider", assertThrows(InvalidFieldException.class, () -> p.addUpstream("claude",
                Provider.ANTHROPIC, null, "sk-ant-0123456789", java.util.List.of(), 1, cipher, now)).field());
        assertEquals("duplicate_upstream_name", assertThrows(UpstreamConflictException.class, () -> p.addUpstream(
                "default", Provider.OPENAI, null, "sk-other-0123456", java.util.List.of(), 1, cipher, now)).code());
        assertEquals("last_upstream", assertThrows(UpstreamConflictException.class,
                () -> p.removeUpstream(p.id(), now)).code());
        Upstream second = p.addUpstream("second", Provider.OPENAI, null, "sk-second-012345", java.util.List.of(), 1,
                cipher, now);
        assertEquals("several_upstreams", assertThrows(UpstreamConflictException.class,
                () -> p.replaceApiKey("sk-new-0123456789", cipher, now)).code(), "which key would it be?");
        p.removeUpstream(p.id(), now);
        assertEquals(java.util.List.of(second.id()), p.upstreams().stream().map(Upstream::id).toList());
        assertThrows(UpstreamNotFoundException.class, () -> p.upstream("nope"));
        assertEquals("priority", assertThrows(InvalidFieldException.class, () -> p.addUpstream("x",
                Provider.OPENAI, null, "sk-x-0123456789", java.util.List.of(), -1, cipher, now)).field());
    }

    @Test
    void onlyAProviderThatNamesDeploymentsHasThem() {
        Project azure = new Project("az", Provider.AZURE_OPENAI, "https://res.openai.azure.com", "az-key", cipher, now);
        azure.changeDeployments(Deployments.of("deployments", java.util.Map.of("prod-4o", "gpt-4o")), now);
        assertEquals(java.util.Map.of("prod-4o", "gpt-4o"), azure.deployments().asMap());
        assertThrows(dev.llmproxy.InvalidFieldException.class,
                () -> new Project("az", Provider.AZURE_OPENAI, null, "az-key", cipher, now),
                "an Azure resource has no default endpoint");
        Project openAi = new Project("o", Provider.OPENAI, null, "sk-0123456789", cipher, now);
        var e = assertThrows(dev.llmproxy.InvalidFieldException.class, () -> openAi.changeDeployments(
                Deployments.of("deployments", java.util.Map.of("d", "gpt-4o")), now));
        assertEquals("deployments", e.field());
        openAi.changeDeployments(Deployments.NONE, now);
        assertTrue(openAi.deployments().isEmpty());
    }
}
