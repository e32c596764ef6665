package dev.llmproxy.persistence;

import dev.llmproxy.ApplicationThreads;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Applies the dialect's Liquibase changelog. Liquibase's DATABASECHANGELOGLOCK serialises instances that start
 * together against one database, so nothing is applied twice; re-running applies nothing.
 */
public final class SchemaMigrator {
    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    /** What a migration did: change sets applied by this start, and how many the database now records. */
    public record Result(int appliedNow, int total) {}

    /**
     * Runs on a thread of its own that ends with the migration: Liquibase keeps its scope in thread-locals, and a
     * container thread holding them would pin the WAR's class loader after undeploy.
     */
    public Result migrate(DataSource dataSource, DatabaseKind kind) {
        FutureTask<Result> task = new FutureTask<>(() -> run(dataSource, kind));
        Thread thread = ApplicationThreads.named("llm-proxy-liquibase").newThread(task);
        thread.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw new SchemaMigrationException(kind, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaMigrationException(kind, e);
        }
    }

    private Result run(DataSource dataSource, DatabaseKind kind) throws Exception {
        // Liquibase 4.30+ sends usage analytics by default; a gateway must not phone home.
        Map<String, Object> scope = Map.of("liquibase.analytics.enabled", false, "liquibase.showBanner", false);
        try {
            return Scope.child(scope, () -> update(dataSource, kind));
        } catch (Exception first) {
            // Instances starting together on an empty database can both try to create Liquibase's own tables
            // before either holds the lock ("relation databasechangelog already exists"); the loser finds them
            // on a second try and then waits for the lock like any other instance.
            LOG.log(java.util.logging.Level.WARNING, "Schema migration failed once (" + first.getMessage()
                    + "); retrying in case another instance was creating Liquibase's tables at the same moment");
            Thread.sleep(1_000);
            try {
                return Scope.child(scope, () -> update(dataSource, kind));
            } catch (Exception second) {
                second.addSuppressed(first); // both failures reach the log, each with its cause
                throw second;
            }
        }
    }

    private Result update(DataSource dataSource, DatabaseKind kind) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            AtomicInteger applied = new AtomicInteger();
            Liquibase liquibase = new Liquibase(kind.changelog(),
                    new ClassLoaderResourceAccessor(SchemaMigrator.class.getClassLoader()), database);
            liquibase.setChangeExecListener(new AbstractChangeExecListener() {
                @Override
                public void ran(ChangeSet changeSet, DatabaseChangeLog log, Database db,
                                ChangeSet.ExecType execType) {
                    if (execType == ChangeSet.ExecType.EXECUTED) {
                        applied.incrementAndGet();
                    }
                }
            });
            liquibase.update(new Contexts(), new LabelExpression());
            int total = liquibase.getDatabase().getRanChangeSetList().size();
            Result result = new Result(applied.get(), total);
            LOG.info(() -> "Schema (" + kind.id() + "): applied " + result.appliedNow() + " change set(s) now, "
                    + result.total() + " recorded in all");
            return result;
        }
    }
}
