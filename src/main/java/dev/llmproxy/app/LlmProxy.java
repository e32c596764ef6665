package dev.llmproxy.app;

import dev.llmproxy.ApplicationThreads;
import dev.llmproxy.Components;

import dev.llmproxy.admin.ManagementAuthenticator;
import dev.llmproxy.admin.ManagementCredential;
import dev.llmproxy.admin.ManagementTokenSetup;
import dev.llmproxy.audit.AuditChainHead;
import dev.llmproxy.audit.AuditEvent;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.audit.ClientAddress;
import dev.llmproxy.audit.SecurityEvents;
import dev.llmproxy.config.Settings;
import dev.llmproxy.limits.SqlBudgetLedger;
import dev.llmproxy.limits.AuthFailures;
import dev.llmproxy.limits.BucketStore;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.DatabaseBucketStore;
import dev.llmproxy.limits.LocalBucketStore;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.ApplicationDataSource;
import dev.llmproxy.persistence.DataSourceResolver;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.project.DataKeys;
import dev.llmproxy.project.InstallationKey;
import dev.llmproxy.project.InstallationKeys;
import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.KeyRing;
import dev.llmproxy.project.KeyRingLoader;
import dev.llmproxy.project.KeyRotation;
import dev.llmproxy.project.MasterKeyCheck;
import dev.llmproxy.project.Project;
import dev.llmproxy.project.Upstream;
import dev.llmproxy.project.ProjectRepository;
import dev.llmproxy.project.Projects;
import dev.llmproxy.proxy.CallLog;
import dev.llmproxy.proxy.CorsPolicy;
import dev.llmproxy.proxy.ProxyServices;
import dev.llmproxy.proxy.RouteTable;
import dev.llmproxy.backup.Backups;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.health.Readiness;
import dev.llmproxy.metrics.CallMetrics;
import dev.llmproxy.metrics.Metrics;
import dev.llmproxy.metrics.PoolMetrics;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.proxy.UpstreamClient;
import dev.llmproxy.accesstoken.AccessTokens;
import dev.llmproxy.token.Token;
import dev.llmproxy.token.TokenGate;
import dev.llmproxy.token.TokenRepository;
import dev.llmproxy.token.TokenSecrets;
import dev.llmproxy.token.Tokens;
import dev.llmproxy.token.UsageTouches;
import dev.llmproxy.usage.ModelPrice;
import dev.llmproxy.usage.Prices;
import dev.llmproxy.usage.RejectedRecords;
import dev.llmproxy.usage.UsageRecorder;
import dev.llmproxy.usage.UsageReports;
import dev.llmproxy.usage.UsageStore;
import java.time.Duration;
import jakarta.servlet.ServletContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running application: every long-lived collaborator, built in dependency order at start-up and closed in
 * reverse order on undeploy. Servlets, filters and the admin API take what they need from it once.
 */
public final class LlmProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LlmProxy.class.getName());
    private static final List<Class<?>> ENTITIES = List.of(Project.class, Upstream.class, Token.class, ManagementCredential.class,
            ModelPrice.class, AuditEvent.class, AuditChainHead.class, InstallationKey.class,
            MasterKeyCheck.class);

    private final List<Part<?>> parts;
    private final ApplicationDataSource dataSource;
    private final Deque<AutoCloseable> closeables;

    /** A part that container-made entry points may take, under its type (see {@link Components}). */
    private record Part<T>(Class<T> type, T instance) {
        void publishTo(ServletContext context) {
            Components.publish(context, type, instance);
        }
    }

    private LlmProxy(List<Part<?>> parts, ApplicationDataSource dataSource, Deque<AutoCloseable> closeables) {
        this.parts = parts;
        this.dataSource = dataSource;
        this.closeables = closeables;
    }

    /** Builds the application; on any failure closes what was already opened and rethrows. */
    public static LlmProxy start(Settings settings, DataSourceResolver resolver, Clock clock) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            SecureRandom random = new SecureRandom();
            ApplicationDataSource dataSource = resolver.resolve(settings);
            opened.push(dataSource);
            Metrics metrics = new Metrics();
            opened.push(metrics);
            PoolMetrics.bind(metrics.registry(), dataSource.dataSource());
            SchemaMigrator.Result schema = new SchemaMigrator().migrate(dataSource.dataSource(), dataSource.kind());
            Jpa jpa = Jpa.open(dataSource.dataSource(), ENTITIES);
            opened.push(jpa);
            KeyRing keyRing = new KeyRingLoader(random).load(settings);
            KeyCipher cipher = keyRing.cipher(random);
            // Refuses to start on a database sealed with a key this instance does not hold (#14).
            DataKeys dataKeys = new InstallationKeys(jpa, keyRing, cipher, random, clock).open();
            var authenticator = new ManagementTokenSetup(jpa, random, clock).authenticator(settings);
            RouteTable routes = RouteTable.from(settings.proxy());

            ScheduledExecutorService background = Executors.newScheduledThreadPool(1,
                    ApplicationThreads.named("llm-proxy-background"));
            TokenRepository tokenRepository = new TokenRepository();
            UsageTouches touches = new UsageTouches(jpa, tokenRepository);
            AuditLog audit = new AuditLog(jpa, dataKeys.auditChain(), clock);
            SecurityEvents securityEvents = new SecurityEvents(audit);
            opened.push(() -> { // runs after the executor below has stopped: the last counts are written
                touches.flush();
                securityEvents.flush();
            });
            opened.push(() -> stop(background));
            background.scheduleWithFixedDelay(touches::flush, 1, 1, TimeUnit.SECONDS);
            int window = settings.audit().securityWindowSeconds();
            background.scheduleWithFixedDelay(securityEvents::flush, window, window, TimeUnit.SECONDS);

            var secrets = new TokenSecrets(dataKeys.tokenHash(), random);
            var gate = new TokenGate(secrets, jpa, tokenRepository, cipher, touches, clock, background,
                    Duration.ofSeconds(settings.outage().graceSeconds()));
            var projectRepository = new ProjectRepository();
            CorsPolicy cors = new CorsPolicy(jpa, background);
            var projects = new Projects(jpa, audit, projectRepository, cipher, clock, id -> {
                gate.projectChanged(id);
                cors.projectChanged(id);
            });
            var tokens = new Tokens(jpa, audit, tokenRepository, projectRepository, secrets, gate, clock);

            Prices prices = new Prices(jpa, audit, clock);
            background.scheduleWithFixedDelay(prices::reload, 30, 30, TimeUnit.SECONDS);
            RejectedRecords rejected = new RejectedRecords(dataSource.dataSource(), clock);
            UsageStore store = new UsageStore(dataSource.dataSource(), rejected);
            UsageRecorder recorder = new UsageRecorder(store, settings.usage().queueCapacity());
            opened.push(recorder); // closed after the drain below: every record of a finished call is written
            scheduleRetention(background, store, settings, clock);
            recorder.bindMetrics(metrics.registry());
            CallLog callLog = new CallLog(recorder, prices::table, new CallMetrics(metrics.registry(), prices::table));
            callLog.bindMetrics(metrics.registry());
            gate.bindMetrics(metrics.registry());
            var budgets = new Budgets(new SqlBudgetLedger(dataSource.dataSource()), clock);
            budgets.bindMetrics(metrics.registry());
            background.scheduleWithFixedDelay(budgets::retryUnsettled, 5, 5, TimeUnit.SECONDS);
            opened.push(budgets::retryUnsettled); // once more after the drain below, before the DataSource closes
            UpstreamClient upstream = new UpstreamClient(settings.proxy());
            opened.push(upstream); // cuts what is left after the drain below; those calls are recorded as they end
            AccessTokens accessTokens = new AccessTokens(settings.entra(), settings.google());
            opened.push(accessTokens); // after the drain below: a call still waiting for a token is refused
            BucketStore buckets = dataSource.kind() == DatabaseKind.POSTGRESQL
                    ? new DatabaseBucketStore(dataSource.dataSource()) : new LocalBucketStore();
            var breakers = new CircuitBreakers(settings.routing());
            var responses = new ResponseCache(settings.cache(), clock);
            responses.bindMetrics(metrics.registry());
            var services = ProxyServices.create(settings.proxy(), settings.protection(), upstream, callLog, responses,
                    prices::table, budgets, new RateLimiter(buckets), breakers, settings.routing(), accessTokens);
            services.bindMetrics(metrics.registry());
            opened.push(services); // its work threads; a call ending after this settles on the budgets' next round
            // first on undeploy: no new call, answers finish within the drain, open streams told, then the rest closes
            opened.push(() -> services.shutDown(Duration.ofSeconds(settings.usage().drainSeconds())));
            var reports = new UsageReports(dataSource.dataSource(), clock);
            var clientAddress = new ClientAddress(settings.audit().trustedProxies());
            List<Part<?>> parts = List.of(new Part<>(Settings.class, settings),
                    new Part<>(ManagementAuthenticator.class, authenticator), new Part<>(Projects.class, projects),
                    new Part<>(Tokens.class, tokens),
                    new Part<>(KeyRotation.class, new KeyRotation(jpa, audit, keyRing, cipher, clock)),
                    new Part<>(TokenGate.class, gate),
                    new Part<>(ProxyServices.class, services), new Part<>(RouteTable.class, routes),
                    new Part<>(CircuitBreakers.class, breakers), new Part<>(ResponseCache.class, responses),
                    new Part<>(Prices.class, prices), new Part<>(UsageReports.class, reports),
                    new Part<>(AuditLog.class, audit), new Part<>(SecurityEvents.class, securityEvents),
                    new Part<>(ClientAddress.class, clientAddress), new Part<>(CorsPolicy.class, cors),
                    new Part<>(RejectedRecords.class, rejected),
                    new Part<>(AuthFailures.class, new AuthFailures(settings.protection().failedAuthPerMinute())),
                    new Part<>(Readiness.class, new Readiness(dataSource, schema, callLog::inFlight, recorder,
                            System::nanoTime, clock)),
                    new Part<>(Metrics.class, metrics), new Part<>(Clock.class, clock), new Part<>(Backups.class,
                            new Backups(dataSource, recorder, settings.operations().backupDir(), audit, clock)));
            return new LlmProxy(parts, dataSource, opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** Publishes every part a container-made entry point may take (see {@link Components}). */
    void publishTo(ServletContext context) {
        parts.forEach(part -> part.publishTo(context));
    }

    /** Withdraws what {@link #publishTo} published, before the parts close. */
    void withdrawFrom(ServletContext context) {
        Components.withdrawAll(context);
    }

    /** The database in use, for the start-up log line. */
    ApplicationDataSource dataSource() {
        return dataSource;
    }


    /** Prunes raw records past the retention once an hour; the daily totals stay. */
    private static void scheduleRetention(ScheduledExecutorService background, UsageStore store, Settings settings,
                                          Clock clock) {
        int days = settings.usage().retentionDays();
        if (days == 0) {
            return;
        }
        background.scheduleWithFixedDelay(() -> {
            try {
                long deleted = store.pruneBefore(clock.instant().minus(Duration.ofDays(days)), 10_000);
                if (deleted > 0) {
                    LOG.info(() -> "Retention: deleted " + deleted + " request records older than " + days + " days");
                }
            } catch (java.sql.SQLException e) {
                LOG.log(Level.WARNING, "Pruning old request records failed; will try again", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
    }

    private static void stop(ScheduledExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
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
