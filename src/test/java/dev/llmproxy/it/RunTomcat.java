package dev.llmproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The README's run command ({@code mvn -Prun package}): Tomcat with the WAR on the embedded SQLite default, on
 * http://localhost:8080/llm-proxy, until Ctrl-C. Uses the same harness as the integration tests.
 */
public final class RunTomcat {
    private RunTomcat() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getProperty("run.port", "8080"));
        Path dataDir = Path.of(System.getProperty("run.data.dir", "target/run-data")).toAbsolutePath();
        Files.createDirectories(dataDir);
        TomcatServer server = TomcatServer.createOnPort("run", port, Optional.empty(), List.of(),
                Map.of("llmproxy.data-dir", dataDir.toString()), Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Duration took = server.start();
        Path token = dataDir.resolve("initial-management-token");
        System.out.println();
        System.out.println("LLM Proxy is running at " + server.baseUrl().replace("127.0.0.1", "localhost")
                + " (ready in " + took.toMillis() + " ms; embedded SQLite in " + dataDir + ")");
        System.out.println(Files.exists(token)
                ? "Management token: " + token + "   e.g. curl -H \"Authorization: Bearer $(cat " + token + ")\" "
                        + server.baseUrl() + "/manage/projects"
                : "Management token: generated on an earlier run; its file was deleted (set llmproxy.management-token)");
        System.out.println("Tomcat's log: " + server.base().resolve("logs/console.log") + ". Press Ctrl-C to stop.");
        Thread.currentThread().join();
    }
}
