package dev.llmproxy.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Tomcat 10.1 instance as an administrator sets one up: its own CATALINA_BASE over the unpacked distribution,
 * JDBC drivers in lib/, a server-config context file copied to conf/Catalina/localhost/llm-proxy.xml, the WAR in
 * webapps/, started with {@code catalina.sh run}.
 */
final class TomcatServer implements AppServer {
    /** What Tomcat logs once it reloaded the context. */
    private static final String RELOADED = "Reloading Context with name [/llm-proxy] is completed";
    private static final String MANAGER_USER = "it-manager";
    private static final String MANAGER_PASSWORD = "it-manager-password-0123456789";
    private final String name;
    private final Path base;
    private final int port;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Optional<String> contextFile;
    private ServerProcess process;

    private TomcatServer(String name, Path base, int port, Map<String, String> systemProperties,
                         Map<String, String> environment, Optional<String> contextFile) {
        this.contextFile = contextFile;
        this.name = name;
        this.base = base;
        this.port = port;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /**
     * @param contextFile a file from server-config/tomcat, or empty for a Tomcat with nothing configured
     * @param drivers     driver names to put into lib/ ("sqlite-jdbc", "postgresql")
     */
    static TomcatServer create(String name, Optional<String> contextFile, List<String> drivers,
                               Map<String, String> systemProperties, Map<String, String> environment) {
        return createOnPort(name, FreePorts.any(), contextFile, drivers, systemProperties, environment);
    }

    static TomcatServer createOnPort(String name, int port, Optional<String> contextFile, List<String> drivers,
                                     Map<String, String> systemProperties, Map<String, String> environment) {
        return createOnPort(name, port, contextFile, drivers, systemProperties, environment, Map.of());
    }

    /** @param connectorAttributes extra attributes of the HTTP Connector in server.xml, e.g. maxConnections */
    static TomcatServer createOnPort(String name, int port, Optional<String> contextFile, List<String> drivers,
                                     Map<String, String> systemProperties, Map<String, String> environment,
                                     Map<String, String> connectorAttributes) {
        Path base = ItEnv.workDir("tomcat-" + name);
        try {
            Path home = ItEnv.tomcatHome();
            copyTree(home.resolve("conf"), base.resolve("conf"));
            for (String dir : List.of("logs", "temp", "webapps", "work", "lib")) {
                Files.createDirectories(base.resolve(dir));
            }
            String stock = Files.readString(base.resolve("conf/server.xml"));
            if (!STOCK_HOST.matcher(stock).find()) {
                throw new IllegalStateException("conf/server.xml has no stock <Host> to apply host-error-report.xml to");
            }
            String serverXml = stock
                    .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                    .replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\" address=\"127.0.0.1\""
                            + attributes(connectorAttributes))
                    .replaceFirst(STOCK_HOST.pattern(), Matcher.quoteReplacement(hostWithErrorReport()));
            Files.writeString(base.resolve("conf/server.xml"), serverXml);
            for (String driver : drivers) {
                Files.copy(ItEnv.driver(driver), base.resolve("lib/" + driver + ".jar"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TomcatServer server = new TomcatServer(name, base, port, new LinkedHashMap<>(systemProperties),
                Map.copyOf(environment), contextFile);
        server.deployWar();
        return server;
    }

    /** The opening tag of the stock server.xml's Host (the zip distribution has CRLF line ends). */
    private static final Pattern STOCK_HOST = Pattern.compile(
            "<Host name=\"localhost\"\\s+appBase=\"webapps\"\\s+unpackWARs=\"true\"\\s+autoDeploy=\"true\">");

    /** server-config's Host with its JSON error report, opened but not closed: the stock Host's children follow. */
    private static String hostWithErrorReport() throws IOException {
        String file = Files.readString(ItEnv.serverConfig("tomcat/host-error-report.xml"));
        return file.replaceAll("(?s)<!--.*?-->", "").replace("</Host>", "").strip();
    }

    /** The context file (when there is one) and the WAR, as an administrator deploys them. */
    void deployWar() {
        try {
            if (contextFile.isPresent()) {
                Path target = base.resolve("conf/Catalina/localhost/llm-proxy.xml");
                Files.createDirectories(target.getParent());
                Files.copy(ItEnv.serverConfig("tomcat/" + contextFile.get()), target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(ItEnv.war(), base.resolve("webapps/llm-proxy.war"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the WAR, as an administrator undeploys by hand; Tomcat notices within its background delay. */
    void undeployWar(Duration timeout) {
        int stopsBefore = countStops();
        try {
            Files.delete(base.resolve("webapps/llm-proxy.war"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (countStops() <= stopsBefore) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Tomcat did not undeploy within " + timeout);
            }
            Readiness.sleep(250);
        }
    }

    private int countStops() {
        return count("LLM Proxy stopped");
    }

    private int count(String line) {
        return log().split(java.util.regex.Pattern.quote(line), -1).length - 1;
    }

    /**
     * Copies the WAR over the deployed one, as an administrator rolls out a new build: written next to it first and
     * moved over it in one step, so that Tomcat never reads half a file. With the context file in
     * conf/Catalina/localhost, Tomcat's deployer reloads the context: it holds new requests while it stops the old
     * application and starts the new one. Returns once the new one is ready.
     */
    @Override
    public void replaceWar() {
        int reloadsBefore = count(RELOADED);
        Path war = base.resolve("webapps/llm-proxy.war");
        Path next = base.resolve("webapps/llm-proxy.war.next");
        try {
            Files.copy(ItEnv.war(), next, StandardCopyOption.REPLACE_EXISTING);
            // a few seconds old: Tomcat's deployer leaves a WAR alone while it is younger than a second (it may still
            // be written), and every second counts ten times here
            Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                    - 5_000));
            Files.move(next, war, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        // the deployer notes the WAR's time once the reload is complete: a WAR replaced before then would go unseen
        while (count(RELOADED) <= reloadsBefore) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("Tomcat did not redeploy the replaced WAR within 120 s; log:\n"
                        + Readiness.tail(log()));
            }
            Readiness.sleep(100);
        }
        Readiness.await(baseUrl(), Duration.ofSeconds(120), process::isAlive, this::log);
    }

    /**
     * Before start: Tomcat's manager application with a {@code manager-script} user (for {@link #findLeaks}), the
     * Host's deployer checking webapps/ every second instead of every ten (ten redeploys would wait a minute and a
     * half for it), and request threads idle for 5 s instead of 60 renewed (see server-config/tomcat/README.md).
     */
    void prepareForRedeploys() {
        try {
            copyTree(ItEnv.tomcatHome().resolve("webapps/manager"), base.resolve("webapps/manager"));
            Files.writeString(base.resolve("conf/tomcat-users.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<tomcat-users xmlns=\"http://tomcat.apache.org/xml\" version=\"1.0\">\n  <user username=\""
                    + MANAGER_USER + "\" password=\"" + MANAGER_PASSWORD + "\" roles=\"manager-script\"/>\n"
                    + "</tomcat-users>\n");
            Path serverXml = base.resolve("conf/server.xml");
            String xml = Files.readString(serverXml);
            String host = "<Host name=\"localhost\" appBase=\"webapps\"";
            if (!xml.contains(host)) {
                throw new IllegalStateException("conf/server.xml has no Host to set backgroundProcessorDelay on");
            }
            // Request threads that ran the application hold its class loader until Tomcat renews them after an
            // undeploy (ThreadLocalLeakPreventionListener), after their next request or their idle time: 5 s here, not 60,
            // and only one thread kept idle, so that a thread nobody needs goes too.
            String connector = "<Connector port=\"" + port + "\"";
            if (!xml.contains(connector)) {
                throw new IllegalStateException("conf/server.xml has no Connector on port " + port);
            }
            Files.writeString(serverXml, xml.replace(host, host + " backgroundProcessorDelay=\"1\"")
                    .replace(connector, "<Executor name=\"it-exec\" namePrefix=\"http-nio-exec-\" maxThreads=\"200\""
                            + " minSpareThreads=\"1\" maxIdleTime=\"5000\"/>\n    " + connector + " executor=\"it-exec\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tomcat's own leak check (the manager's {@code findleaks}, which runs a full GC first): the context paths of
     * applications that were stopped but whose class loader is still in memory; empty when none is.
     */
    List<String> findLeaks() {
        String auth = java.util.Base64.getEncoder().encodeToString((MANAGER_USER + ":" + MANAGER_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/manager/text/findleaks?statusLine=true"))
                    .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(60)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            List<String> lines = response.body().lines().toList();
            if (response.statusCode() != 200 || lines.isEmpty()) {
                throw new IllegalStateException("findleaks answered " + response.statusCode() + ": " + response.body());
            }
            if (lines.get(0).contains("No memory leaks found")) { // the first line starts with OK either way
                return List.of();
            }
            return lines.subList(1, lines.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String jcmd(String... command) {
        return process.jcmd(command);
    }

    @Override
    public void undeploy() {
        undeployWar(Duration.ofSeconds(120));
    }

    @Override
    public void redeploy() {
        // Tomcat removed the context file with the WAR; put both back and wait for the new deployment.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.exists(base.resolve("webapps/llm-proxy")) && System.nanoTime() < deadline) {
            Readiness.sleep(200);
        }
        deployWar();
        Readiness.await(baseUrl(), Duration.ofSeconds(120), process::isAlive, this::log);
    }

    @Override
    public Duration start() {
        long started = System.nanoTime();
        launch();
        Readiness.await(baseUrl(), Duration.ofSeconds(120), process::isAlive, this::log);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts the container without waiting for the application: for a test that expects its start-up to fail. */
    void launch() {
        List<String> opts = new ArrayList<>(List.of("-Xmx512m"));
        systemProperties.forEach((k, v) -> opts.add("-D" + k + "=" + v));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("CATALINA_HOME", ItEnv.tomcatHome().toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_OPTS", String.join(" ", opts));
        env.put("CATALINA_PID", base.resolve("tomcat.pid").toString());
        Path script = ItEnv.tomcatHome().resolve("bin/catalina.sh");
        script.toFile().setExecutable(true);
        process = ServerProcess.start(List.of(script.toString(), "run"), env, base, base.resolve("logs/console.log"));
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(60));
            process = null;
        }
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/llm-proxy";
    }

    @Override
    public String log() {
        Path console = base.resolve("logs/console.log");
        try {
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "Tomcat " + name;
    }

    Path base() {
        return base;
    }

    private static String attributes(Map<String, String> attributes) {
        StringBuilder text = new StringBuilder();
        attributes.forEach((k, v) -> text.append(' ').append(k).append("=\"").append(v).append('"'));
        return text.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Override
    public long javaPid() {
        return process.javaPid();
    }

    @Override
    public String threadDump() {
        return process == null ? "" : process.threadDump();
    }
}
