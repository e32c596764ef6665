package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.Map;

/** Tomcat with server-config/tomcat/llm-proxy-sqlite.xml; the management token comes from an environment variable. */
class TomcatSqliteIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestDatabase.sqlite("tomcat");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        return Deployments.create("tomcat", db, withTestSettings("llmproxy.data-dir", dataDir.toString()),
                Map.of("LLMPROXY_MANAGEMENT_TOKEN", MANAGEMENT_TOKEN));
    }
}
