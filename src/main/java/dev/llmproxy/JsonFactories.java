package dev.llmproxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every Jackson factory and mapper of the WAR comes from here, so that none recycles its buffers the default way:
 * Jackson keeps them in a thread-local ({@code BufferRecyclers}) of every thread that parsed or wrote JSON, the
 * container's request and deployment threads included. Those threads outlive an undeploy, and the buffer's class
 * keeps this WAR's class loader, and every class it loaded, in memory: found after redeploys on Tomcat (#14). The
 * pool used instead belongs to this deployment's copy of Jackson and goes with it.
 */
public final class JsonFactories {
    private JsonFactories() {
    }

    /** A builder for a factory recycling through the deployment's pool; the caller may add its constraints. */
    public static JsonFactoryBuilder builder() {
        return new JsonFactoryBuilder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
    }

    public static JsonFactory factory() {
        return builder().build();
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper(factory());
    }
}
