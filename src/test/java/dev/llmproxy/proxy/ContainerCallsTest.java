package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.AsyncContext;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A thread the container starts for a call of the application's must not take the application's class loader. */
class ContainerCallsTest {
    private final ClassLoader application = new URLClassLoader(new URL[0], null);
    private final List<ClassLoader> seenByContainer = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    private AsyncContext container(RuntimeException failure) {
        return (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AsyncContext.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    // what a thread started here would inherit
                    seenByContainer.add(Thread.currentThread().getContextClassLoader());
                    if (failure != null) {
                        throw failure;
                    }
                    return null;
                });
    }

    @Test
    void startAndDispatchReachTheContainerWithItsLoaderAndGiveTheApplicationsBack() throws Exception {
        Thread.currentThread().setContextClassLoader(application);
        try {
            Runnable task = () -> { };
            ContainerCalls.start(container(null), task);
            ContainerCalls.dispatch(container(null));
            assertEquals(List.of("start", "dispatch"), calls);
            assertEquals(List.of(AsyncContext.class.getClassLoader(), AsyncContext.class.getClassLoader()),
                    seenByContainer);
            assertSame(application, Thread.currentThread().getContextClassLoader());
        } finally {
            Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        }
    }

    @Test
    void theApplicationsLoaderIsBackWhenTheContainerRefuses() throws Exception {
        Thread.currentThread().setContextClassLoader(application);
        try {
            IllegalStateException refused = new IllegalStateException("the request is already complete");
            assertSame(refused, assertThrows(IllegalStateException.class,
                    () -> ContainerCalls.dispatch(container(refused))));
            assertSame(application, Thread.currentThread().getContextClassLoader());
        } finally {
            Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        }
    }
}
