package dev.llmproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import dev.llmproxy.testing.MigratedSqlite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityEventsTest {
    @TempDir
    Path dir;

    @Test
    void refusalsFromManyAddressesAreOneEventPerReasonAndWindow() throws Exception {
        SqliteConnectionSettings ds = MigratedSqlite.at(dir.resolve("audit.db"));
        AuditLog log = new AuditLog(Jpa.open(ds, List.of(AuditEvent.class, AuditChainHead.class)), new byte[32],
                Clock.systemUTC());
        SecurityEvents events = new SecurityEvents(log);
        for (int i = 0; i < 5_000; i++) { // an attacker rotating through addresses
            events.refused(AuditAction.PROXY_TOKEN_REJECTED, "2001:db8::" + Integer.toHexString(i), "token_invalid");
        }
        for (int i = 0; i < 30; i++) {
            events.refused(AuditAction.PROXY_TOKEN_REJECTED, "10.0.0.9", "token_invalid");
        }
        events.refused(AuditAction.PROXY_TOKEN_REJECTED, "10.0.0.9", "token_missing");
        events.flush();

        var page = log.list(new AuditQuery(Optional.of("proxy.token_rejected"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()), new PageRequest(1, 100));
        assertEquals(2, page.items().size(), "one event per reason, not one per address");
        JsonNode invalid = page.items().stream().map(SecurityEventsTest::details)
                .filter(d -> d.path("reason").asText().equals("token_invalid")).findFirst().orElseThrow();
        assertEquals(5_030, invalid.path("attempts").asLong());
        assertEquals(5_001, invalid.path("addresses").asInt());
        assertEquals(SecurityEvents.TOP, invalid.path("top").size());
        assertEquals("10.0.0.9", invalid.path("top").get(0).path("client_ip").asText(), "the most active first");
        assertEquals(30, invalid.path("top").get(0).path("attempts").asLong());
        assertTrue(log.verify().valid());
    }

    private static JsonNode details(AuditEvent e) {
        try {
            return new ObjectMapper().readTree(e.details());
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
