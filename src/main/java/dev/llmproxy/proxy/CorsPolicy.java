package dev.llmproxy.proxy;

import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.project.ProjectChangeListener;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CORS for browser callers, from the projects' origin allowlists; never {@code *}. A preflight carries no token, so
 * it is answered for an origin that some active project allows; the actual request is then checked against its own
 * project's list (by the token filter). The union is read at most once a second and dropped when a project changes.
 */
public final class CorsPolicy implements ProjectChangeListener {
    private static final long TTL_NANOS = 1_000_000_000L;
    /** Headers a browser may send: the SDKs' own and the three token headers. */
    static final String ALLOWED_HEADERS = "authorization, content-type, x-api-key, api-key, anthropic-version,"
            + " anthropic-beta, anthropic-dangerous-direct-browser-access, openai-beta, openai-organization,"
            + " openai-project, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version,"
            + " x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout";
    static final String EXPOSED_HEADERS = "x-llm-proxy-request-id, retry-after, x-ratelimit-limit-requests,"
            + " x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens,"
            + " x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens";

    private final Jpa jpa;
    private volatile Set<String> anyProject = Set.of();
    private volatile long loadedAt;

    public CorsPolicy(Jpa jpa) {
        this.jpa = jpa;
    }

    public boolean allowedByAnyProject(String origin) {
        if (System.nanoTime() - loadedAt > TTL_NANOS) {
            List<String> lists = jpa.inTransaction(em -> em.createQuery("select p.allowedOrigins from Project p"
                    + " where p.active = true and p.allowedOrigins is not null", String.class).getResultList());
            Set<String> union = new HashSet<>();
            lists.forEach(l -> union.addAll(Arrays.asList(l.split(","))));
            anyProject = Set.copyOf(union);
            loadedAt = System.nanoTime();
        }
        return anyProject.contains(origin);
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

    @Override
    public void projectChanged(String projectId) {
        loadedAt = 0;
    }
}
