package dev.llmproxy.admin;

import dev.llmproxy.LlmProxy;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The admin API's JAX-RS application. Jersey creates it; it takes the running {@link LlmProxy} from the servlet
 * context once and registers resources as singletons built with their collaborators.
 */
public final class AdminApplication extends ResourceConfig {

    public AdminApplication(@Context ServletContext servletContext) {
        LlmProxy app = LlmProxy.from(servletContext);
        // Jackson's own exception mappers answer text/plain; ours answers problem JSON for everything.
        property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        register(JacksonFeature.withoutExceptionMappers());
        register(JsonMapper.class);
        register(ProblemExceptionMapper.class);
        register(new ManagementAuthFilter(app.managementAuthenticator(), app.clientAddress(), app.securityEvents()));
        register(new ProjectResource(app.projects(), app.tokens(), app.proxyServices().breakers()));
        register(new UpstreamResource(app.projects(), app.proxyServices().breakers()));
        register(new BackupResource(app.backups()));
        register(new CacheResource(app.projects(), app.proxyServices().cache()));
        register(new TokenResource(app.tokens(), app.clock()));
        register(new UsageResource(app.usageReports()));
        register(new PriceResource(app.prices()));
        register(new AuditResource(app.auditLog()));
        register(new OpenApiResource());
    }
}
