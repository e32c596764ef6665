package dev.llmproxy.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One container x database combination as the contracts drive it: a fresh database, the provider mock, and the WAR
 * in a real container configured from server-config, started once; plus the management client and the readiness
 * answer of that first start. Made and closed by {@link DeploymentExtension}.
 */
final class Deployment implements AutoCloseable {
    static final String MANAGEMENT_TOKEN = "it-management-token-0123456789abcdef";
    static final String METRICS_TOKEN = "metrics-test-token-0123456789";
    static final int BODY_LIMIT = 1024 * 1024;
    static final int FAILED_AUTH_PER_MINUTE = 100;
    static final int REQUEST_BODY_TIMEOUT_MS = 8_000;
    static final int MAX_CALLS_PER_TOKEN = 256;
    /**
     * Settings every container under test gets: short timeouts and a 1 MiB body limit keep the tests quick; the
     * loopback is a trusted proxy, so a test can speak for another client address with {@code X-Forwarded-For}
     * (HostileInputContract), and a failed-authentication allowance the other contracts' refusals stay well under.
     */
    static final Map<String, String> TEST_SETTINGS = Map.ofEntries(Map.entry("llmproxy.trusted-proxies", "127.0.0.1"),
            Map.entry("llmproxy.failed-auth-per-minute", String.valueOf(FAILED_AUTH_PER_MINUTE)), Map.entry(
            "llmproxy.upstream-response-timeout-ms", "3000"),
            Map.entry("llmproxy.upstream-idle-timeout-ms", "3000"),
            Map.entry("llmproxy.max-request-body-bytes", String.valueOf(BODY_LIMIT)),
            Map.entry("llmproxy.request-body-timeout-ms", String.valueOf(REQUEST_BODY_TIMEOUT_MS)),
            Map.entry("llmproxy.max-concurrent-calls-per-token", String.valueOf(MAX_CALLS_PER_TOKEN)),
            Map.entry("llmproxy.security-event-window-seconds", "1"),
            Map.entry("llmproxy.upstream-retry-backoff-ms", "50"),
            Map.entry("llmproxy.breaker-open-ms", "1500"),
            Map.entry("llmproxy.breaker-half-open-calls", "1"),
            Map.entry("llmproxy.metrics-token", METRICS_TOKEN),
            // the first token checks of a cold JVM on a loaded 2-core machine can take seconds; the tests that
            // measure the deadline (DatabaseOutageLoad) set the default of 3 s again
            Map.entry("llmproxy.database-deadline-ms", "10000"),
            // the AWS default credentials chain of the container's JVM, for aws-default-chain Bedrock projects
            Map.entry("aws.accessKeyId", MockBedrock.CHAIN_ACCESS_KEY_ID),
            Map.entry("aws.secretAccessKey", MockBedrock.CHAIN_SECRET));

    /** How the container is handed the management token: both ways an administrator may choose are tested. */
    enum TokenVia { ENVIRONMENT_VARIABLE, SYSTEM_PROPERTY }

    private final AppServer server;
    private final TestDatabase db;
    private final MockProvider mock;
    private final Http admin;
    /** HTTP/1.1 as the SDKs use it (WildFly would otherwise accept an h2c upgrade the SDKs never ask for). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger names = new AtomicInteger();
    private Http.Response firstStart;

    private Deployment(AppServer server, TestDatabase db, MockProvider mock) {
        this.server = server;
        this.db = db;
        this.mock = mock;
        this.admin = new Http(server.baseUrl(), MANAGEMENT_TOKEN);
    }

    /** Creates the database and the mock, configures the container and starts it; on failure stops what it began. */
    static Deployment start(String container, String database, TokenVia tokenVia) {
        return start(container, Deployments.database(database, container), Map.of(), tokenVia, server -> { });
    }

    /** As {@link #start(String, String, TokenVia)}, with {@code prepare} run on the container before it starts. */
    static Deployment start(String container, String database, TokenVia tokenVia,
                            java.util.function.Consumer<AppServer> prepare) {
        return start(container, Deployments.database(database, container), Map.of(), tokenVia, prepare);
    }

    /**
     * As {@link #start(String, String, TokenVia)}, on a database the caller made, with settings over TEST_SETTINGS
     * and {@code prepare} run on the container before it starts.
     */
    static Deployment start(String container, TestDatabase db, Map<String, String> extraSettings, TokenVia tokenVia,
                            java.util.function.Consumer<AppServer> prepare) {
        Map<String, String> settings = new LinkedHashMap<>(TEST_SETTINGS);
        settings.putAll(extraSettings);
        settings.put("llmproxy.data-dir", ItEnv.workDir("data").toString());
        Map<String, String> environment = Map.of();
        if (tokenVia == TokenVia.ENVIRONMENT_VARIABLE) {
            environment = Map.of("LLMPROXY_MANAGEMENT_TOKEN", MANAGEMENT_TOKEN);
        } else {
            settings.put("llmproxy.management-token", MANAGEMENT_TOKEN);
        }
        MockProvider mock = new MockProvider();
        // Entra ID tokens for Azure upstreams come from the mock, within a deadline its slow tenants outlast
        settings.putIfAbsent("llmproxy.azure-entra-authority", mock.baseUrl() + MockProvider.ENTRA_PATH);
        settings.putIfAbsent("llmproxy.azure-entra-timeout-ms", "1500");
        settings.putIfAbsent("llmproxy.vertex-ai-token-timeout-ms", "1500"); // Vertex AI's slow accounts outlast it
        Deployment deployment = null;
        try {
            deployment = new Deployment(Deployments.create(container, db, settings, environment), db, mock);
            prepare.accept(deployment.server);
            Duration took = deployment.server.start();
            System.out.printf("[timing] %s on %s: started and ready in %d ms%n", deployment.server.name(), db.kind(),
                    took.toMillis());
            deployment.firstStart = deployment.admin.get("/health/ready");
            return deployment;
        } catch (RuntimeException | Error e) {
            if (deployment != null) {
                deployment.server.stop();
            }
            mock.close();
            throw e;
        }
    }

    AppServer server() {
        return server;
    }

    TestDatabase db() {
        return db;
    }

    MockProvider mock() {
        return mock;
    }

    /** A client of the admin API holding the management token. */
    Http admin() {
        return admin;
    }

    HttpClient http() {
        return http;
    }

    /** What /health/ready answered right after the first start (before any test could restart the container). */
    Http.Response firstStart() {
        return firstStart;
    }

    /** {@code name} made unique within this deployment: project names are, and tests run in any order. */
    String unique(String name) {
        return name + "-" + names.incrementAndGet();
    }

    /**
     * Sends a call to the proxy. When the call times out, prints what helps to see why before rethrowing: the
     * health answer, the same request on a new connection, the sockets, the mock's last requests, a thread dump.
     */
    HttpResponse<String> call(HttpRequest.Builder request) throws Exception {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String health = fresh.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            int again = fresh.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            System.out.println("[hang] health: " + health + "; the same request on a new connection: " + again);
            int port = URI.create(server.baseUrl()).getPort();
            Process ss = new ProcessBuilder("ss", "-tanpoi", "( sport = :" + port + " or dport = :" + port + " )")
                    .redirectErrorStream(true).start();
            System.out.println("[hang] sockets:\n" + new String(ss.getInputStream().readAllBytes()));
            System.out.println("[hang] " + server.name() + " did not answer " + request.build().uri() + " in time; the mock"
                    + " last saw " + mock.received.subList(Math.max(0, mock.received.size() - 5), mock.received.size())
                    .stream().map(r -> r.method() + " " + r.path()).toList() + "; the server's threads:\n"
                    + server.threadDump());
            throw e;
        }
    }

    /** Stops the container, then the mock. */
    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            mock.close();
        }
    }
}
