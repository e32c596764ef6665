package dev.llmproxy.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * The EntityManagerFactory and the one way to use it: a unit of work in a resource-local transaction that commits
 * on success and rolls back on any exception. Hibernate picks the dialect from the connection; the schema is
 * Liquibase's, so Hibernate is told to touch none of it.
 */
public final class Jpa implements AutoCloseable {
    private static final int MAX_BUSY_ATTEMPTS = 8;
    private final EntityManagerFactory factory;

    private Jpa(EntityManagerFactory factory) {
        this.factory = factory;
    }

    public static Jpa open(DataSource dataSource, List<Class<?>> entities) {
        Map<String, Object> properties = Map.of(
                "jakarta.persistence.nonJtaDataSource", dataSource,
                "hibernate.hbm2ddl.auto", "none",
                "hibernate.jdbc.time_zone", "UTC",
                "hibernate.query.fail_on_pagination_over_collection_fetch", true);
        EntityManagerFactory factory = new HibernatePersistenceProvider()
                .createContainerEntityManagerFactory(new PersistenceUnit(dataSource, entities), properties);
        return new Jpa(factory);
    }

    /**
     * Runs {@code work} in a transaction and returns its result. On SQLite a transaction that read and then writes
     * fails at once with SQLITE_BUSY when another connection committed in between (the busy timeout does not cover
     * that case, https://sqlite.org/rescode.html#busy_snapshot); such a unit of work is rolled back and run again.
     */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (RuntimeException e) {
                if (attempt >= MAX_BUSY_ATTEMPTS || !SqliteBusy.causedBy(e)) {
                    throw e;
                }
                SqliteBusy.backOff(attempt);
            }
        }
    }

    private <T> T once(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    public void run(Consumer<EntityManager> work) {
        inTransaction(em -> {
            work.accept(em);
            return null;
        });
    }

    @Override
    public void close() {
        factory.close();
    }
}
