package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tomcat with server-config/tomcat/llm-proxy-sqlite.xml; the management token comes from an environment variable. */
class TomcatSqliteIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestDatabase.sqlite("tomcat");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        return TomcatServer.create("sqlite", Optional.of("llm-proxy-sqlite.xml"), List.of("sqlite-jdbc"),
                withTestSettings("llmproxy.db.file", db.sqliteFile().toString(), "llmproxy.data-dir", dataDir.toString()),
                Map.of("LLMPROXY_MANAGEMENT_TOKEN", MANAGEMENT_TOKEN));
    }
}
