package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.Map;

/** Tomcat with server-config/tomcat/llm-proxy-postgresql.xml; the management token is a system property. */
class TomcatPostgresIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestPostgres.server().createDatabase("tomcat");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        return Deployments.create("tomcat", db, withTestSettings("llmproxy.data-dir", dataDir.toString(),
                "llmproxy.management-token", MANAGEMENT_TOKEN), Map.of());
    }
}
