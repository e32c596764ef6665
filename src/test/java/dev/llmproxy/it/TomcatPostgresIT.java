package dev.llmproxy.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tomcat with server-config/tomcat/llm-proxy-postgresql.xml; the management token is a system property. */
class TomcatPostgresIT extends BackupContract {
    @Override
    TestDatabase createDatabase() {
        return TestPostgres.server().createDatabase("tomcat");
    }

    @Override
    AppServer createServer(TestDatabase db, Path dataDir) {
        return TomcatServer.create("postgresql", Optional.of("llm-proxy-postgresql.xml"), List.of("postgresql"),
                withTestSettings("llmproxy.db.url", db.jdbcUrl(), "llmproxy.db.user", db.user(),
                        "llmproxy.db.password", db.password(), "llmproxy.data-dir", dataDir.toString(),
                        "llmproxy.management-token", MANAGEMENT_TOKEN),
                Map.of());
    }
}
