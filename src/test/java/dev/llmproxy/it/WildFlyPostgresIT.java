package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.Map;

/** WildFly configured by server-config/wildfly/postgresql-datasource.cli. */
class WildFlyPostgresIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestPostgres.server().createDatabase("wildfly");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        return Deployments.create("wildfly", db, withTestSettings("llmproxy.data-dir", dataDir.toString(),
                "llmproxy.management-token", MANAGEMENT_TOKEN), Map.of());
    }
}
