package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.proxy.Provider;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProjectTest {
    private final KeyCipher cipher = new KeyCipher(new byte[32], new SecureRandom());
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void keyIsSealedAndOnlyAHintIsKept() {
        Project p = new Project("team", Provider.OPENAI, null, "sk-proj-abcdefghij1234", cipher, now);
        assertEquals("sk-…1234", p.apiKeyHint());
        assertEquals("sk-proj-abcdefghij1234", p.apiKey(cipher));
        assertEquals("https://api.openai.com", p.effectiveBaseUrl());
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
        assertEquals("http://127.0.0.1:9", p.effectiveBaseUrl());
    }

    @Test
    void blankNameAndBlankKeyAreRefused() {
        assertEquals("name", assertThrows(InvalidFieldException.class,
                () -> new Project(" ", Provider.OPENAI, null, "k", cipher, now)).field());
        assertEquals("api_key", assertThrows(InvalidFieldException.class,
                () -> new Project("t", Provider.OPENAI, null, "", cipher, now)).field());
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
}
