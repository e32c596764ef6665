package dev.llmproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import dev.llmproxy.testing.MigratedSqlite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain on a real SQLite file: edits, deletions and a cut tail are each detected. */
class AuditLogTest {
    @TempDir
    Path dir;

    private SqliteConnectionSettings ds;

    private AuditLog log(int events) {
        ds = MigratedSqlite.at(dir.resolve("audit.db"));
        AuditLog log = new AuditLog(Jpa.open(ds, List.of(AuditEvent.class, AuditChainHead.class)), new byte[32],
                Clock.systemUTC());
        for (int i = 1; i <= events; i++) {
            log.record(new Actor("tester", "10.0.0.1"), AuditEntry.success(AuditAction.PRICE_UPDATED, "thing", "t" + i,
                    Map.of("n", i)));
        }
        return log;
    }

    private void sql(String statement) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void intactChainVerifies() {
        assertEquals(new AuditLog.VerifyResult(true, 5, null), log(5).verify());
    }

    @Test
    void editedEventIsFoundByItsId() throws Exception {
        AuditLog log = log(5);
        sql("UPDATE audit_events SET actor = 'someone' WHERE id = 3");
        AuditLog.VerifyResult result = log.verify();
        assertFalse(result.valid());
        assertEquals(3L, result.firstBrokenId());
        assertEquals(2, result.checked());
    }

    @Test
    void deletedEventBreaksTheNextLink() throws Exception {
        AuditLog log = log(5);
        sql("DELETE FROM audit_events WHERE id = 2");
        assertEquals(3L, log.verify().firstBrokenId());
    }

    @Test
    void cutTailIsDetectedThroughTheHead() throws Exception {
        AuditLog log = log(5);
        sql("DELETE FROM audit_events WHERE id = 5");
        AuditLog.VerifyResult result = log.verify();
        assertFalse(result.valid());
        assertEquals(4, result.checked());
    }

    @Test
    void auditedWorkAndItsEventCommitTogether() {
        AuditLog log = log(0);
        try {
            log.audited(new Actor("a", null), em -> {
                throw new IllegalStateException("the action failed");
            }, r -> AuditEntry.success(AuditAction.CACHE_PURGED, null, null, Map.of()));
        } catch (IllegalStateException expected) {
            // neither the action nor its event remains
        }
        assertTrue(log.verify().valid());
        assertEquals(0, log.verify().checked());
    }
}
