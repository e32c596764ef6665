package dev.llmproxy.audit;

import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Filters of {@code GET /manage/audit}: action, target id, actor and a time range; newest first. */
public record AuditQuery(Optional<String> action, Optional<String> targetId, Optional<String> actor,
                         Optional<Instant> from, Optional<Instant> to) {

    Page<AuditEvent> run(EntityManager em, PageRequest page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        action.ifPresent(a -> { where.append(" and e.action = :action"); params.put("action", a); });
        targetId.ifPresent(t -> { where.append(" and e.targetId = :target"); params.put("target", t); });
        actor.ifPresent(a -> { where.append(" and e.actor = :actor"); params.put("actor", a); });
        from.ifPresent(f -> { where.append(" and e.createdAt >= :from"); params.put("from", f); });
        to.ifPresent(t -> { where.append(" and e.createdAt < :to"); params.put("to", t); });
        TypedQuery<AuditEvent> items = em.createQuery("select e from AuditEvent e" + where + " order by e.id desc",
                AuditEvent.class);
        TypedQuery<Long> total = em.createQuery("select count(e) from AuditEvent e" + where, Long.class);
        params.forEach((k, v) -> {
            items.setParameter(k, v);
            total.setParameter(k, v);
        });
        return new Page<>(items.setFirstResult(page.offset()).setMaxResults(page.pageSize()).getResultList(),
                page.page(), page.pageSize(), total.getSingleResult());
    }
}
