package dev.llmproxy;

import jakarta.servlet.ServletContext;

/**
 * The running application's parts, published in the servlet context by type. Servlets, filters and the admin API
 * are made by the container; at {@code init()} each takes the parts it needs from here, once. The composition root
 * ({@code dev.llmproxy.app}) publishes them at deploy and withdraws them at undeploy, so no capability package
 * depends on the application that assembles it.
 */
public final class Components {
    private static final String PREFIX = "dev.llmproxy.component.";

    private Components() {
    }

    public static <T> void publish(ServletContext context, Class<T> type, T part) {
        context.setAttribute(PREFIX + type.getName(), type.cast(part));
    }

    /** Withdraws every published part, at undeploy. */
    public static void withdrawAll(ServletContext context) {
        for (String name : java.util.Collections.list(context.getAttributeNames())) {
            if (name.startsWith(PREFIX)) {
                context.removeAttribute(name);
            }
        }
    }

    /** The published part of this type; fails when the application did not start (its error is in the log). */
    public static <T> T of(ServletContext context, Class<T> type) {
        Object part = context.getAttribute(PREFIX + type.getName());
        if (type.isInstance(part)) {
            return type.cast(part);
        }
        throw new IllegalStateException("LLM Proxy did not start (no " + type.getSimpleName()
                + " in the servlet context); see the log for the start-up error");
    }
}
