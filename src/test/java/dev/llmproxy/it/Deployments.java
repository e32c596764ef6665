package dev.llmproxy.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The four deployments the container tests and the proxy benchmark run, each set up as server-config's README tells
 * an administrator: Tomcat with a context file from server-config/tomcat, WildFly with a jboss-cli script from
 * server-config/wildfly; on a SQLite file or a PostgreSQL database.
 */
public final class Deployments {
    private Deployments() {
    }

    /**
     * @param container   "tomcat" or "wildfly"
     * @param settings    llmproxy.* system properties (the database settings are added here)
     * @param environment environment variables of the container process (Tomcat only)
     */
    public static AppServer create(String container, TestDatabase db, Map<String, String> settings,
                                   Map<String, String> environment) {
        return create(container, db, settings, environment, Map.of());
    }

    /**
     * @param tomcatConnector extra attributes of Tomcat's HTTP Connector (e.g. maxConnections, whose default 8192 caps
     *                        open streams); WildFly's Undertow listener has no connection cap by default
     */
    public static AppServer create(String container, TestDatabase db, Map<String, String> settings,
                                   Map<String, String> environment, Map<String, String> tomcatConnector) {
        return switch (container + "/" + db.kind()) {
            case "tomcat/sqlite" -> TomcatServer.createOnPort("sqlite", FreePorts.any(),
                    Optional.of("llm-proxy-sqlite.xml"), List.of("sqlite-jdbc"),
                    with(settings, "llmproxy.db.file", db.sqliteFile().toString()), environment, tomcatConnector);
            case "tomcat/postgresql" -> TomcatServer.createOnPort("postgresql", FreePorts.any(),
                    Optional.of("llm-proxy-postgresql.xml"), List.of("postgresql"),
                    with(settings, "llmproxy.db.url", db.jdbcUrl(), "llmproxy.db.user", db.user(),
                            "llmproxy.db.password", db.password()), environment, tomcatConnector);
            case "wildfly/sqlite" -> WildFlyServer.create("sqlite", "sqlite-datasource.cli",
                    cli("sqlite.jdbc.jar", ItEnv.driver("sqlite-jdbc").toString(),
                            "llmproxy.db.file", db.sqliteFile().toString()), settings);
            case "wildfly/postgresql" -> WildFlyServer.create("postgresql", "postgresql-datasource.cli",
                    cli("postgresql.jdbc.jar", ItEnv.driver("postgresql").toString(), "llmproxy.db.url", db.jdbcUrl(),
                            "llmproxy.db.user", db.user(),
                            // jboss-cli refuses an empty --password; trust authentication ignores whatever is sent.
                            "llmproxy.db.password", db.password().isEmpty() ? "unused" : db.password()), settings);
            default -> throw new IllegalArgumentException("No deployment for " + container + " on " + db.kind());
        };
    }

    /** A fresh SQLite file, or a fresh database on the tests' PostgreSQL server. */
    public static TestDatabase database(String kind, String purpose) {
        return switch (kind) {
            case "sqlite" -> TestDatabase.sqlite(purpose);
            case "postgresql" -> TestPostgres.server().createDatabase(purpose);
            default -> throw new IllegalArgumentException("Unknown database kind " + kind);
        };
    }

    /** {@code settings} and the given key/value pairs. */
    static Map<String, String> with(Map<String, String> settings, String... keyValues) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        for (int i = 0; i < keyValues.length; i += 2) {
            all.put(keyValues[i], keyValues[i + 1]);
        }
        return all;
    }

    private static Properties cli(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }
}
