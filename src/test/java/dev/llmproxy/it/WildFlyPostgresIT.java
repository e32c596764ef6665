package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** WildFly configured by server-config/wildfly/postgresql-datasource.cli. */
class WildFlyPostgresIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestPostgres.server().createDatabase("wildfly");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        Properties cli = new Properties();
        cli.setProperty("postgresql.jdbc.jar", ItEnv.driver("postgresql").toString());
        cli.setProperty("llmproxy.db.url", db.jdbcUrl());
        cli.setProperty("llmproxy.db.user", db.user());
        // jboss-cli refuses an empty --password; trust authentication ignores whatever is sent.
        cli.setProperty("llmproxy.db.password", db.password().isEmpty() ? "unused" : db.password());
        return WildFlyServer.create("postgresql", "postgresql-datasource.cli", cli,
                withTestSettings("llmproxy.data-dir", dataDir.toString(), "llmproxy.management-token", MANAGEMENT_TOKEN));
    }
}
