package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmproxy.it.Deployment.TokenVia;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tomcat on SQLite (server-config/tomcat/llm-proxy-sqlite.xml) with its manager application: the WAR replaced ten
 * times under load, then Tomcat's own leak check ({@code findleaks}) and its undeploy warnings; and an undeploy amid
 * 200 calls (see {@link RedeployContract}).
 */
class TomcatRedeployIT implements RedeployContract {
    @RegisterExtension
    static final DeploymentExtension DEPLOYMENT = new DeploymentExtension("tomcat", "sqlite", TokenVia.SYSTEM_PROPERTY,
            server -> ((TomcatServer) server).prepareForRedeploys());

    @Override
    public Deployment deployment() {
        return DEPLOYMENT.deployment();
    }

    @Override
    public int redeploys() {
        return 10;
    }

    @Override
    public String applicationClassLoader() {
        return "org.apache.catalina.loader.ParallelWebappClassLoader";
    }

    /**
     * One warning of Tomcat's is about Tomcat's own request thread, not the application's: a reload that finds one
     * of its threads running the next request of a connection inline (it does so for the thread that set a write
     * listener, here a container thread of {@code AsyncContext.start}) waiting for the paused context. The thread
     * goes on with the new deployment, and the class loader count shows it kept nothing.
     */
    private static final Pattern TOMCATS_OWN_THREAD = Pattern.compile("The thread \\[http-nio-exec-\\d+\\] of web application \\[llm-proxy\\]"
            + " is still processing a request that has yet to finish");

    /** The manager's findleaks names no application, and Tomcat warned of no thread, driver or thread-local left. */
    @Override
    public void containerReportsNoLeak() {
        assertEquals(List.of(), ((TomcatServer) server()).findLeaks(), "Tomcat's findleaks");
        List<String> warnings = server().log().lines().filter(line -> TomcatEmbeddedDefaultIT.LEAK_WARNINGS.stream()
                .anyMatch(line::contains)).filter(line -> !TOMCATS_OWN_THREAD.matcher(line).find()).toList();
        assertEquals(List.of(), warnings, "Tomcat's warnings of threads, drivers or thread-locals left behind");
    }
}
