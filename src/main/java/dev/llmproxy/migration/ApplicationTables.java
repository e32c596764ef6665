package dev.llmproxy.migration;

import dev.llmproxy.persistence.DatabaseKind;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.InsertDataChange;
import liquibase.change.core.LoadDataChange;
import liquibase.change.core.RenameTableChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The tables LLM Proxy owns, read from the dialect's changelog itself, so there is no second list to keep: every
 * {@code createTable} (less the {@code dropTable}s, following {@code renameTable}s), the change set that creates
 * each, the tables a change set fills with rows of its own ({@code insert}, {@code loadData}), and every change set
 * id. Liquibase's own tables are not among them. A table made by raw {@code <sql>} would escape this reading; the
 * test {@code ApplicationTablesTest} compares it with the tables a fresh database really gets.
 */
final class ApplicationTables {
    private final Map<String, String> createdBy;
    private final Set<String> seeded;
    private final Set<String> changeSetIds;

    private ApplicationTables(Map<String, String> createdBy, Set<String> seeded, Set<String> changeSetIds) {
        this.createdBy = Map.copyOf(createdBy);
        this.seeded = Set.copyOf(seeded);
        this.changeSetIds = Set.copyOf(changeSetIds);
    }

    static ApplicationTables of(DatabaseKind kind) {
        String path = kind.changelog();
        ResourceAccessor resources = new ClassLoaderResourceAccessor(ApplicationTables.class.getClassLoader());
        DatabaseChangeLog log;
        try {
            log = ChangeLogParserFactory.getInstance().getParser(path, resources)
                    .parse(path, new ChangeLogParameters(), resources);
        } catch (LiquibaseException e) {
            throw new IllegalStateException("Cannot read the changelog " + path + ": " + e.getMessage(), e);
        }
        Map<String, String> createdBy = new LinkedHashMap<>();
        Set<String> seeded = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        for (ChangeSet changeSet : log.getChangeSets()) {
            ids.add(changeSet.getId());
            for (Change change : changeSet.getChanges()) {
                if (change instanceof CreateTableChange create) {
                    createdBy.put(lower(create.getTableName()), changeSet.getId());
                } else if (change instanceof DropTableChange drop) {
                    createdBy.remove(lower(drop.getTableName()));
                    seeded.remove(lower(drop.getTableName()));
                } else if (change instanceof RenameTableChange rename) {
                    String creator = createdBy.remove(lower(rename.getOldTableName()));
                    if (creator != null) {
                        createdBy.put(lower(rename.getNewTableName()), creator);
                    }
                    if (seeded.remove(lower(rename.getOldTableName()))) {
                        seeded.add(lower(rename.getNewTableName()));
                    }
                } else if (change instanceof InsertDataChange insert) {
                    seeded.add(lower(insert.getTableName()));
                } else if (change instanceof LoadDataChange load) {
                    seeded.add(lower(load.getTableName()));
                }
            }
        }
        seeded.retainAll(createdBy.keySet());
        return new ApplicationTables(createdBy, seeded, ids);
    }

    /** Every application table, lower case. */
    Set<String> names() {
        return createdBy.keySet();
    }

    boolean contains(String table) {
        return createdBy.containsKey(lower(table));
    }

    /** The id of the change set that creates {@code table}. */
    String createdBy(String table) {
        return createdBy.get(lower(table));
    }

    /** Tables the changelog itself puts rows into (e.g. the audit chain's head): such rows are no one's data. */
    Set<String> seeded() {
        return seeded;
    }

    Set<String> changeSetIds() {
        return changeSetIds;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
