package dev.llmproxy.project;

import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import jakarta.persistence.EntityManager;
import java.util.Optional;

/** Queries over {@link Project}; each takes the unit of work's EntityManager. */
public final class ProjectRepository {

    public Optional<Project> find(EntityManager em, String id) {
        return Optional.ofNullable(em.find(Project.class, id));
    }

    public Project require(EntityManager em, String id) {
        return find(em, id).orElseThrow(() -> new ProjectNotFoundException(id));
    }

    public boolean nameTaken(EntityManager em, String name, String exceptId) {
        return em.createQuery("select count(p) from Project p where p.name = :name and p.id <> :id", Long.class)
                .setParameter("name", name.strip())
                .setParameter("id", exceptId == null ? "" : exceptId)
                .getSingleResult() > 0;
    }

    public Page<Project> list(EntityManager em, PageRequest page) {
        var items = em.createQuery("select p from Project p order by p.createdAt, p.id", Project.class)
                .setFirstResult(page.offset())
                .setMaxResults(page.pageSize())
                .getResultList();
        long total = em.createQuery("select count(p) from Project p", Long.class).getSingleResult();
        return new Page<>(items, page.page(), page.pageSize(), total);
    }
}
