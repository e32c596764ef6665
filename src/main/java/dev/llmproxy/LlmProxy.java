package dev.llmproxy;

import dev.llmproxy.admin.ManagementAuthenticator;
import dev.llmproxy.admin.ManagementCredential;
import dev.llmproxy.admin.ManagementTokenSetup;
import dev.llmproxy.config.Settings;
import dev.llmproxy.persistence.ApplicationDataSource;
import dev.llmproxy.persistence.DataSourceResolver;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.project.EncryptionKeyLoader;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.ProjectRepository;
import dev.llmproxy.project.Projects;
import dev.llmproxy.token.Token;
import jakarta.servlet.ServletContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running application: every long-lived collaborator, built in dependency order at start-up and closed in
 * reverse order on undeploy. Servlets, filters and the admin API take what they need from it once.
 */
public final class LlmProxy implements AutoCloseable {
    static final String ATTRIBUTE = LlmProxy.class.getName();
    private static final Logger LOG = Logger.getLogger(LlmProxy.class.getName());
    private static final List<Class<?>> ENTITIES = List.of(Project.class, Token.class, ManagementCredential.class);

    private final Settings settings;
    private final ApplicationDataSource dataSource;
    private final SchemaMigrator.Result schema;
    private final Jpa jpa;
    private final ManagementAuthenticator managementAuthenticator;
    private final Projects projects;
    private final Deque<AutoCloseable> closeables;

    private LlmProxy(Settings settings, ApplicationDataSource dataSource, SchemaMigrator.Result schema, Jpa jpa,
                     ManagementAuthenticator managementAuthenticator, Projects projects,
                     Deque<AutoCloseable> closeables) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.schema = schema;
        this.jpa = jpa;
        this.managementAuthenticator = managementAuthenticator;
        this.projects = projects;
        this.closeables = closeables;
    }

    /** Builds the application; on any failure closes what was already opened and rethrows. */
    public static LlmProxy start(Settings settings, DataSourceResolver resolver, Clock clock) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            SecureRandom random = new SecureRandom();
            ApplicationDataSource dataSource = resolver.resolve(settings);
            opened.push(dataSource);
            SchemaMigrator.Result schema = new SchemaMigrator().migrate(dataSource.dataSource(), dataSource.kind());
            Jpa jpa = Jpa.open(dataSource.dataSource(), ENTITIES);
            opened.push(jpa);
            var cipher = new EncryptionKeyLoader(random).load(settings);
            var authenticator = new ManagementTokenSetup(jpa, random, clock).authenticator(settings);
            var projects = new Projects(jpa, new ProjectRepository(), cipher, clock);
            return new LlmProxy(settings, dataSource, schema, jpa, authenticator, projects, opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The application the listener stored in this servlet context. */
    public static LlmProxy from(ServletContext context) {
        Object app = context.getAttribute(ATTRIBUTE);
        if (app instanceof LlmProxy proxy) {
            return proxy;
        }
        throw new IllegalStateException("LLM Proxy did not start; see the log for the start-up error");
    }

    public Settings settings() {
        return settings;
    }

    public ApplicationDataSource dataSource() {
        return dataSource;
    }

    public SchemaMigrator.Result schema() {
        return schema;
    }

    public Jpa jpa() {
        return jpa;
    }

    public ManagementAuthenticator managementAuthenticator() {
        return managementAuthenticator;
    }

    public Projects projects() {
        return projects;
    }

    @Override
    public void close() {
        closeAll(closeables);
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Closing " + c + " failed during shutdown", e);
            }
        }
    }
}
