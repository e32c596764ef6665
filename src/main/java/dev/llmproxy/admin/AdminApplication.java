package dev.llmproxy.admin;

import dev.llmproxy.Components;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.audit.ClientAddress;
import dev.llmproxy.audit.SecurityEvents;
import dev.llmproxy.backup.Backups;
import dev.llmproxy.project.KeyRotation;
import dev.llmproxy.project.Projects;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.health.Readiness;
import dev.llmproxy.limits.AuthFailures;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.token.Tokens;
import dev.llmproxy.usage.Prices;
import dev.llmproxy.usage.RejectedRecords;
import dev.llmproxy.usage.UsageReports;
import java.time.Clock;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The admin API's JAX-RS application. Jersey creates it; it takes the running application's parts from the
 * servlet context once ({@link Components}) and registers resources as singletons built with their collaborators.
 */
public final class AdminApplication extends ResourceConfig {

    public AdminApplication(@Context ServletContext servletContext) {
        // Jackson's own exception mappers answer text/plain; ours answers problem JSON for everything.
        property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        register(JacksonFeature.withoutExceptionMappers());
        register(JsonMapper.class);
        Readiness readiness = part(servletContext, Readiness.class);
        register(new ProblemExceptionMapper(() -> readiness.current().status() != 200));
        register(new ManagementAuthFilter(part(servletContext, ManagementAuthenticator.class),
                part(servletContext, ClientAddress.class), part(servletContext, SecurityEvents.class),
                part(servletContext, AuthFailures.class)));
        Projects projects = part(servletContext, Projects.class);
        Tokens tokens = part(servletContext, Tokens.class);
        CircuitBreakers breakers = part(servletContext, CircuitBreakers.class);
        register(new ProjectResource(projects, tokens, breakers));
        register(new UpstreamResource(projects, breakers));
        register(new BackupResource(part(servletContext, Backups.class)));
        register(new KeyResource(part(servletContext, KeyRotation.class)));
        register(new CacheResource(projects, part(servletContext, ResponseCache.class)));
        register(new TokenResource(tokens, part(servletContext, Clock.class)));
        register(new UsageResource(part(servletContext, UsageReports.class),
                part(servletContext, RejectedRecords.class)));
        register(new PriceResource(part(servletContext, Prices.class)));
        register(new AuditResource(part(servletContext, AuditLog.class)));
        register(new OpenApiResource());
    }

    private static <T> T part(ServletContext context, Class<T> type) {
        return Components.of(context, type);
    }
}
