package dev.llmproxy.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Appends audit events to the chain and checks it. An audited admin action and its event commit in one transaction,
 * so neither exists without the other and no event is lost. Appends are serialised: within this instance by a lock,
 * across instances by locking the chain head row ({@code SELECT … FOR UPDATE} on PostgreSQL; SQLite has one writer).
 */
public final class AuditLog {
    private static final ObjectMapper JSON = dev.llmproxy.JsonFactories.mapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Jpa jpa;
    private final AuditMac macs;
    private final Clock clock;
    private final ReentrantLock appendLock = new ReentrantLock();

    public AuditLog(Jpa jpa, byte[] key, Clock clock) {
        this.jpa = jpa;
        this.macs = new AuditMac(key);
        this.clock = clock;
    }

    /** Runs {@code work} and appends the event {@code describe} makes of its result, in the same transaction. */
    public <T> T audited(Actor actor, Function<EntityManager, T> work, Function<T, AuditEntry> describe) {
        return auditedAll(actor, work, result -> List.of(describe.apply(result)));
    }

    /** Like {@link #audited}, for an action that is several events (a rename and a deactivation in one PATCH). */
    public <T> T auditedAll(Actor actor, Function<EntityManager, T> work, Function<T, List<AuditEntry>> describe) {
        appendLock.lock();
        try {
            return jpa.inTransaction(em -> {
                T result = work.apply(em);
                for (AuditEntry entry : describe.apply(result)) {
                    append(em, actor, entry);
                }
                return result;
            });
        } finally {
            appendLock.unlock();
        }
    }

    /** Appends one event in a transaction of its own (security events, refused logins). */
    public void record(Actor actor, AuditEntry entry) {
        audited(actor, em -> null, ignored -> entry);
    }

    private void append(EntityManager em, Actor actor, AuditEntry entry) {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID, LockModeType.PESSIMISTIC_WRITE);
        AuditEvent event = new AuditEvent(clock.instant(), actor, entry, details(entry), head.lastMac(), macs);
        em.persist(event);
        em.flush(); // assigns the id
        head.advance(event);
    }

    private static String details(AuditEntry entry) {
        if (entry.details() == null || entry.details().isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(entry.details());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details must be JSON-serialisable", e);
        }
    }

    /** Walks the chain in id order, recomputing every MAC; stops at the first broken link. */
    public VerifyResult verify() {
        return jpa.inTransaction(em -> {
            String previous = AuditMac.GENESIS;
            long checked = 0;
            long afterId = 0;
            while (true) {
                List<AuditEvent> batch = em.createQuery("select e from AuditEvent e where e.id > :after order by e.id",
                        AuditEvent.class).setParameter("after", afterId).setMaxResults(1_000).getResultList();
                if (batch.isEmpty()) {
                    break;
                }
                for (AuditEvent e : batch) {
                    if (!e.prevMac().equals(previous) || !macs.of(e).equals(e.mac())) {
                        return new VerifyResult(false, checked, e.id());
                    }
                    previous = e.mac();
                    checked++;
                    afterId = e.id();
                }
                em.clear();
            }
            AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID);
            if (!head.lastMac().equals(previous)) {
                // events after the last valid one were removed, or the head was altered
                return new VerifyResult(false, checked, head.lastEventId());
            }
            return new VerifyResult(true, checked, null);
        });
    }

    public Page<AuditEvent> list(AuditQuery query, PageRequest page) {
        return jpa.inTransaction(em -> query.run(em, page));
    }

    public Optional<AuditEvent> get(long id) {
        return jpa.inTransaction(em -> Optional.ofNullable(em.find(AuditEvent.class, id)));
    }

    /** The chain is intact ({@code firstBrokenId} null) or broken at that event. */
    public record VerifyResult(boolean valid, long checked, Long firstBrokenId) {}
}
