package dev.llmproxy.token;

import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.project.Project;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.Optional;

/** Queries over {@link Token}; each takes the unit of work's EntityManager. */
public final class TokenRepository {

    /** A token and its project, found by the token's hash. */
    public record TokenAndProject(Token token, Project project) {}

    public Optional<TokenAndProject> findByHash(EntityManager em, String hash) {
        return em.createQuery("select t, p from Token t, Project p where t.tokenHash = :hash and p.id = t.projectId",
                        Object[].class)
                .setParameter("hash", hash)
                .getResultStream().findFirst()
                .map(row -> new TokenAndProject((Token) row[0], (Project) row[1]));
    }

    public Token require(EntityManager em, String id) {
        return Optional.ofNullable(em.find(Token.class, id)).orElseThrow(() -> new TokenNotFoundException(id));
    }

    /**
     * Counts one request against a limited token, atomically: the row is updated only while the count is below the
     * limit and the token is not revoked, so concurrent requests on any number of instances admit exactly
     * {@code max_requests} (SQLite serialises writers; PostgreSQL re-checks the condition on the locked row).
     */
    public boolean consumeOne(EntityManager em, String tokenId, Instant now) {
        return em.createQuery("update Token t set t.requestCount = t.requestCount + 1, t.lastUsedAt = :now"
                        + " where t.id = :id and t.revokedAt is null and t.requestCount < t.maxRequests")
                .setParameter("now", now)
                .setParameter("id", tokenId)
                .executeUpdate() == 1;
    }

    /** Adds {@code count} requests and moves {@code last_used_at} forward, for tokens without a limit. */
    public void addUsage(EntityManager em, String tokenId, long count, Instant lastUsed) {
        em.createQuery("update Token t set t.requestCount = t.requestCount + :n,"
                        + " t.lastUsedAt = case when t.lastUsedAt is null or t.lastUsedAt < :at then :at"
                        + " else t.lastUsedAt end where t.id = :id")
                .setParameter("n", count)
                .setParameter("at", lastUsed)
                .setParameter("id", tokenId)
                .executeUpdate();
    }

    public int revokeAllOfProject(EntityManager em, String projectId, Instant now) {
        return em.createQuery("update Token t set t.revokedAt = :now, t.updatedAt = :now"
                        + " where t.projectId = :project and t.revokedAt is null")
                .setParameter("now", now)
                .setParameter("project", projectId)
                .executeUpdate();
    }

    /** Filters: project, and whether the token is usable now (not revoked, not expired). */
    public Page<Token> list(EntityManager em, Optional<String> projectId, Optional<Boolean> active, Instant now,
                            PageRequest page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        projectId.ifPresent(p -> where.append(" and t.projectId = :project"));
        active.ifPresent(a -> where.append(a ? " and t.revokedAt is null and t.expiresAt > :now"
                : " and (t.revokedAt is not null or t.expiresAt <= :now)"));
        TypedQuery<Token> items = em.createQuery("select t from Token t" + where + " order by t.createdAt, t.id",
                Token.class);
        TypedQuery<Long> total = em.createQuery("select count(t) from Token t" + where, Long.class);
        for (TypedQuery<?> q : new TypedQuery<?>[] {items, total}) {
            projectId.ifPresent(p -> q.setParameter("project", p));
            active.ifPresent(a -> q.setParameter("now", now));
        }
        return new Page<>(items.setFirstResult(page.offset()).setMaxResults(page.pageSize()).getResultList(),
                page.page(), page.pageSize(), total.getSingleResult());
    }
}
