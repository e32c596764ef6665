package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** WildFly configured by server-config/wildfly/sqlite-datasource.cli. */
class WildFlySqliteIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestDatabase.sqlite("wildfly");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        Properties cli = new Properties();
        cli.setProperty("sqlite.jdbc.jar", ItEnv.driver("sqlite-jdbc").toString());
        cli.setProperty("llmproxy.db.file", db.sqliteFile().toString());
        return WildFlyServer.create("sqlite", "sqlite-datasource.cli", cli,
                withTestSettings("llmproxy.data-dir", dataDir.toString(), "llmproxy.management-token", MANAGEMENT_TOKEN));
    }
}
