package dev.llmproxy.migration;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks made before anything is changed on either side; each failure is a {@link MigrationRefusedException}
 * that names the place (URL and schema) and says what was expected there.
 */
final class Refusals {
    private Refusals() {
    }

    /**
     * The source must be an LLM Proxy database in the place the URL names (Liquibase's changelog there records the
     * application's change sets, and the tables they create are there) and must hold some data: a wrong file,
     * database or {@code currentSchema} would otherwise be "migrated" by creating an empty schema and copying nothing.
     */
    static void checkSource(Place source, Inventory found, ApplicationTables tables, String changelog) {
        if (found.recorded().isEmpty()) {
            throw new MigrationRefusedException("The source " + source + " holds no LLM Proxy schema: expected"
                    + " Liquibase's databasechangelog table recording the change sets of " + changelog
                    + " and the tables " + new TreeSet<>(tables.names()) + ", found "
                    + (found.tables().isEmpty() ? "none of those tables" : "only the tables " + found.tables())
                    + hintElsewhere(source, found) + ". Nothing was copied.");
        }
        refuseNewer(source, found);
        Set<String> missing = new TreeSet<>();
        for (String table : tables.names()) {
            if (found.recorded().contains(tables.createdBy(table)) && !found.tables().contains(table)) {
                missing.add(table);
            }
        }
        if (!missing.isEmpty()) {
            throw new MigrationRefusedException("The source " + source + " lacks the tables " + missing + " that the"
                    + " change sets recorded there created; expected a complete LLM Proxy database. Nothing was"
                    + " copied.");
        }
        if (found.totalDataRows() == 0) {
            throw new MigrationRefusedException("The source " + source + " has the LLM Proxy tables but no rows in"
                    + " any of them (" + String.join(", ", found.dataRows().keySet()) + "): nothing to copy. Expected"
                    + " the database the application ran on; check the URL" + (source.schema() == null ? ""
                    : " and its currentSchema") + hintElsewhere(source, found) + ".");
        }
    }

    /**
     * The target must hold no data and no table of the application's names that its changelogs did not create
     * there. Rows the changelogs seed (the audit chain's head) are no one's data and are replaced by the source's.
     */
    static void checkTarget(Place target, Inventory found, ApplicationTables tables) {
        Set<String> strangers = new TreeSet<>();
        for (String table : found.tables()) {
            if (!found.recorded().contains(tables.createdBy(table))) {
                strangers.add(table);
            }
        }
        if (!strangers.isEmpty()) {
            throw new MigrationRefusedException("The target " + target + " already has tables named " + strangers
                    + " that the LLM Proxy changelogs did not create there; expected an empty database or schema."
                    + " Nothing was changed: migrate into a new, empty database (or name another schema with"
                    + " currentSchema).");
        }
        refuseNewer(target, found);
        if (found.totalDataRows() > 0) {
            throw new MigrationRefusedException("The target " + target + " already holds data ("
                    + found.describeData() + "); expected no rows. Nothing was changed: migrate into a new, empty"
                    + " database (or schema). One the application has already started on holds what that start"
                    + " wrote (a generated management credential, audit events): drop and create it again first.");
        }
    }

    /** A database that records change sets this WAR does not have was made by a newer LLM Proxy. */
    private static void refuseNewer(Place place, Inventory found) {
        if (!found.foreignChangeSets().isEmpty()) {
            throw new MigrationRefusedException("The " + place.side() + " " + place + " records change sets this LLM"
                    + " Proxy does not know " + found.foreignChangeSets() + ": it was migrated by a newer version."
                    + " Run the migration from that version's WAR. Nothing was changed.");
        }
    }

    private static String hintElsewhere(Place place, Inventory found) {
        List<String> others = found.otherSchemasWithChangelog();
        return others.isEmpty() ? "" : " (a databasechangelog table is in schema " + String.join(", ", others)
                + " of that database: name it in the URL with currentSchema=" + others.get(0) + ")";
    }
}
