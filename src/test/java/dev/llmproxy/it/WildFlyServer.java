package dev.llmproxy.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WildFly standalone server with its own base directory and port offset, configured as the server-config README
 * says: the jboss-cli script from server-config/wildfly adds the driver module and the datasource, then the WAR is
 * deployed with {@code deploy}.
 */
final class WildFlyServer implements AppServer {
    private static final int HTTP_PORT = 8080;
    private static final int MANAGEMENT_PORT = 9990;

    private final String name;
    private final Path base;
    private final int offset;
    private final String cliScript;
    private final Properties cliProperties;
    private final Map<String, String> systemProperties;
    private ServerProcess process;
    private boolean configured;

    private WildFlyServer(String name, Path base, int offset, String cliScript, Properties cliProperties,
                          Map<String, String> systemProperties) {
        this.name = name;
        this.base = base;
        this.offset = offset;
        this.cliScript = cliScript;
        this.cliProperties = cliProperties;
        this.systemProperties = systemProperties;
    }

    static WildFlyServer create(String name, String cliScript, Properties cliProperties,
                                Map<String, String> systemProperties) {
        Path base = ItEnv.workDir("wildfly-" + name);
        try (Stream<Path> files = Files.walk(ItEnv.wildflyHome().resolve("standalone/configuration"))) {
            Path from = ItEnv.wildflyHome().resolve("standalone");
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = base.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WildFlyServer(name, base, freeOffset(), cliScript, cliProperties,
                new LinkedHashMap<>(systemProperties));
    }

    @Override
    public Duration start() {
        long started = System.nanoTime();
        Path home = ItEnv.wildflyHome();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1"));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        process = ServerProcess.start(command, Map.of("JBOSS_HOME", home.toString(), "LAUNCH_JBOSS_IN_BACKGROUND",
                "true"), base, base.resolve("console.log"));
        awaitBoot();
        if (!configured) {
            configure();
            if (Boolean.getBoolean("it.debugProxy")) {
                cli("/subsystem=logging/logger=dev.llmproxy.proxy:add(level=DEBUG)");
            }
            cli("deploy " + ItEnv.war() + " --name=llm-proxy.war");
            configured = true;
        }
        Readiness.await(baseUrl(), Duration.ofSeconds(120), process::isAlive, this::log);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Runs the server-config script; removes the module it adds first, since the installation is shared. */
    private void configure() {
        try {
            for (String module : List.of("org/xerial/sqlite-jdbc", "org/postgresql")) {
                deleteTree(ItEnv.wildflyHome().resolve("modules/" + module));
            }
            Path props = base.resolve("llmproxy.properties");
            try (var out = Files.newBufferedWriter(props)) {
                cliProperties.store(out, "jboss-cli properties for " + cliScript);
            }
            runCli(List.of("--file=" + ItEnv.serverConfig("wildfly/" + cliScript), "--properties=" + props));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long a worker thread waits for work before it retires, after {@link #prepareForRedeploys}. */
    static final Duration WORKER_KEEPALIVE = Duration.ofSeconds(5);

    /**
     * Before start: every worker thread idle for 5 s retires (the io subsystem's {@code task-keepalive}, 60 s by
     * default, and {@code task-core-threads} 0, so that none stays for good). A worker thread keeps the task it was
     * started for, and with it that task's deployment, as long as it lives (see server-config/wildfly/README.md).
     */
    void prepareForRedeploys() {
        Path xml = base.resolve("configuration/standalone.xml");
        try {
            String config = Files.readString(xml);
            String worker = "<worker name=\"default\"/>";
            if (!config.contains(worker)) {
                throw new IllegalStateException(xml + " has no default io worker to set task-keepalive on");
            }
            Files.writeString(xml, config.replace(worker, "<worker name=\"default\" task-keepalive=\""
                    + WORKER_KEEPALIVE.toMillis() + "\" task-core-threads=\"0\"/>"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void undeploy() {
        cli("undeploy llm-proxy.war");
    }

    @Override
    public void redeploy() {
        cli("deploy " + ItEnv.war() + " --name=llm-proxy.war");
        Readiness.await(baseUrl(), Duration.ofSeconds(120), process::isAlive, this::log);
    }

    /**
     * Replaces the deployment's content with the WAR ({@code deploy --force}), as an administrator rolls out a new
     * build: WildFly undeploys the old one and deploys the new one in one management operation.
     */
    @Override
    public void replaceWar() {
        cli("deploy " + ItEnv.war() + " --name=llm-proxy.war --force");
        Readiness.await(baseUrl(), Duration.ofSeconds(120), process::isAlive, this::log);
    }

    @Override
    public String jcmd(String... command) {
        return process.jcmd(command);
    }

    String cli(String command) {
        return runCli(List.of("--command=" + command));
    }

    private String runCli(List<String> args) {
        List<String> command = new ArrayList<>(List.of(ItEnv.wildflyHome().resolve("bin/jboss-cli.sh").toString(),
                "--connect", "--controller=127.0.0.1:" + (MANAGEMENT_PORT + offset), "--resolve-parameter-values"));
        command.addAll(args);
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(cli.getInputStream().readAllBytes());
            if (!cli.waitFor(120, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("jboss-cli " + args + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitBoot() {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!log().contains("WFLYSRV0025") && !log().contains("WFLYSRV0026")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("WildFly did not boot; log:\n" + Readiness.tail(log()));
            }
            Readiness.sleep(200);
        }
    }

    @Override
    public void stop() {
        if (process == null) {
            return;
        }
        try {
            cli(":shutdown");
            process.awaitExit(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            process.stop(Duration.ofSeconds(30));
        }
        process = null;
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + (HTTP_PORT + offset) + "/llm-proxy";
    }

    @Override
    public String log() {
        try {
            Path console = base.resolve("console.log");
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "WildFly " + name;
    }

    private static int freeOffset() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(100, 20_000);
            if (Stream.of(HTTP_PORT, MANAGEMENT_PORT, 8443, 9993).allMatch(p -> FreePorts.isFree(p + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("No free WildFly port offset found");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
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
