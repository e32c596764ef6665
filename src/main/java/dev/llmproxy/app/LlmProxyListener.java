package dev.llmproxy.app;

import dev.llmproxy.ContainerThreads;
import dev.llmproxy.config.EnvironmentSettingSource;
import dev.llmproxy.config.JndiSettingSource;
import dev.llmproxy.config.SettingSource;
import dev.llmproxy.config.Settings;
import dev.llmproxy.config.SettingsReader;
import dev.llmproxy.config.SystemPropertySettingSource;
import dev.llmproxy.persistence.DataSourceResolver;
import dev.llmproxy.persistence.JdbcDrivers;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Starts {@link LlmProxy} when the container deploys the WAR and stops it on undeploy. A start-up failure (a bad
 * setting, an unreachable database) is logged and rethrown so the container marks the deployment as failed
 * instead of serving half an application.
 */
public final class LlmProxyListener implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(LlmProxyListener.class.getName());
    /** Where the listener keeps the application it built, to close it on undeploy. */
    private static final String APP_ATTRIBUTE = LlmProxy.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            Optional<Context> env = javaCompEnv();
            Settings settings = Settings.read(new SettingsReader(sources(env)),
                    Path.of(System.getProperty("user.home"), ".llm-proxy"));
            LOG.info(() -> "LLM Proxy starting at " + event.getServletContext().getContextPath() + " with " + settings);
            // Millisecond ticks: both databases store milliseconds, so what the API returns on create equals what it reads back.
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
            LlmProxy app = LlmProxy.start(settings, new DataSourceResolver(env), clock);
            app.publishTo(event.getServletContext());
            event.getServletContext().setAttribute(APP_ATTRIBUTE, app);
            LOG.info(() -> "LLM Proxy started on the " + app.dataSource().description());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "LLM Proxy failed to start: " + e.getMessage(), e);
            JdbcDrivers.deregisterLoadedBy(LlmProxyListener.class.getClassLoader());
            throw e;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object app = event.getServletContext().getAttribute(APP_ATTRIBUTE);
        event.getServletContext().removeAttribute(APP_ATTRIBUTE);
        if (app instanceof LlmProxy proxy) {
            proxy.withdrawFrom(event.getServletContext());
            proxy.close();
        }
        JdbcDrivers.deregisterLoadedBy(LlmProxyListener.class.getClassLoader());
        // The JDK's bean-info cache holds the classes Liquibase introspected, softly: WildFly, unlike Tomcat, does not
        // flush it on undeploy, and it kept the application's class loader until memory ran short (#14).
        java.beans.Introspector.flushCaches();
        // Last: the container's threads let go of what they inherited of this application (#14)
        ContainerThreads.Release release = ContainerThreads.letGoOf(LlmProxyListener.class.getClassLoader(),
                ServletContextListener.class.getClassLoader());
        release.impossible().ifPresent(why -> LOG.warning(() -> "The container's threads may keep this application's"
                + " classes in memory after the undeploy: " + why));
        LOG.info(() -> "LLM Proxy stopped; the container's threads let go of its code (" + release.contexts()
                + " access-control contexts, " + release.classLoaders() + " context class loaders)");
    }

    /** JNDI env entries first (per deployment), then system properties, then environment variables. */
    private static List<SettingSource> sources(Optional<Context> env) {
        List<SettingSource> sources = new ArrayList<>();
        env.ifPresent(ctx -> sources.add(new JndiSettingSource(ctx)));
        sources.add(new SystemPropertySettingSource(System.getProperties()));
        sources.add(new EnvironmentSettingSource(System.getenv()));
        return sources;
    }

    private static Optional<Context> javaCompEnv() {
        try {
            return Optional.of((Context) new InitialContext().lookup("java:comp/env"));
        } catch (NamingException e) {
            LOG.info(() -> "No java:comp/env naming context (" + e.getMessage() + "); settings come from system"
                    + " properties and environment variables, and the database is the embedded SQLite file");
            return Optional.empty();
        }
    }
}
