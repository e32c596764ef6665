package dev.llmproxy.proxy;

import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.project.ProjectChangeListener;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * CORS for browser callers, from the projects' origin allowlists; never {@code *}. A preflight carries no token, so
 * it is answered for an origin that some active project allows; the actual request is then checked against its own
 * project's list (by the token filter). The union is read again at most once a second, in the background, and at
 * once when a project changes on this instance.
 */
public final class CorsPolicy implements ProjectChangeListener {
    private static final Logger LOG = Logger.getLogger(CorsPolicy.class.getName());
    private static final long TTL_NANOS = 1_000_000_000L;
    /** Headers a browser may send: the SDKs' own and the three token headers. */
    static final String ALLOWED_HEADERS = "authorization, content-type, x-api-key, api-key, anthropic-version,"
            + " anthropic-beta, anthropic-dangerous-direct-browser-access, openai-beta, openai-organization,"
            + " openai-project, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version,"
            + " x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout,"
            + " x-goog-api-key, x-goog-api-client";
    static final String EXPOSED_HEADERS = "x-llm-proxy-request-id, retry-after, x-ratelimit-limit-requests,"
            + " x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens,"
            + " x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens";

    private final Jpa jpa;
    private final Executor background;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Set<String> anyProject = Set.of();
    private volatile long loadedAt;

    /** @param background where a stale union is read again, so that a preflight never waits on the database */
    public CorsPolicy(Jpa jpa, Executor background) {
        this.jpa = jpa;
        this.background = background;
        refresh();
    }

    /** From the union as last read; a union older than a second is read again in the background. */
    public boolean allowedByAnyProject(String origin) {
        if (System.nanoTime() - loadedAt > TTL_NANOS && refreshing.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    try {
                        refresh();
                    } finally {
                        refreshing.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                refreshing.set(false); // shutting down
            }
        }
        return anyProject.contains(origin);
    }

    /**
     * Reads the union of the active projects' origins. When the database does not answer, the last union stays (and
     * is tried again a second later): a database outage must not turn into a preflight per request on it.
     */
    private void refresh() {
        try {
            List<String> lists = jpa.inTransaction(em -> em.createQuery("select p.allowedOrigins from Project p"
                    + " where p.active = true and p.allowedOrigins is not null", String.class).getResultList());
            Set<String> union = new HashSet<>();
            lists.forEach(l -> union.addAll(Arrays.asList(l.split(","))));
            anyProject = Set.copyOf(union);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the projects' allowed origins; preflights use the last ones read", e);
        } finally {
            loadedAt = System.nanoTime();
        }
    }

    /** Answers a preflight for an allowed origin. */
    public void preflight(HttpServletResponse response, String origin, String requestedMethod) {
        allow(response, origin);
        response.setHeader("Access-Control-Allow-Methods", requestedMethod == null ? "POST" : requestedMethod);
        response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** Lets the browser read this response. */
    public void allow(HttpServletResponse response, String origin) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        response.addHeader("Vary", "Origin");
    }

    /** A project changed on this instance: its origins count at once (other instances read them within a second). */
    @Override
    public void projectChanged(String projectId) {
        refresh();
    }
}
