package dev.llmproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths the build hands to the integration tests (see failsafe's systemPropertyVariables in pom.xml). */
final class ItEnv {
    private ItEnv() {
    }

    static Path war() {
        return existing("it.war");
    }

    static Path tomcatHome() {
        return existing("it.tomcat.home");
    }

    static Path wildflyHome() {
        return existing("it.wildfly.home");
    }

    static Path driver(String name) {
        return existing("it.drivers.dir").resolve(name + ".jar");
    }

    static Path serverConfig(String relative) {
        Path file = existing("it.server.config").resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("server-config file missing: " + file);
        }
        return file;
    }

    /** A fresh folder under target/it-work for one server or database. */
    static Path workDir(String name) {
        try {
            Path root = Path.of(System.getProperty("it.work.dir", "target/it-work"));
            Files.createDirectories(root);
            return Files.createTempDirectory(root, name + "-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run the integration"
                    + " tests through Maven (mvn verify)");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + " points to " + path + ", which does not exist");
        }
        return path;
    }
}
