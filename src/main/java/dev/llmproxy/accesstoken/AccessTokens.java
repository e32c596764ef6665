package dev.llmproxy.accesstoken;

import dev.llmproxy.ApplicationThreads;
import dev.llmproxy.config.EntraSettings;
import dev.llmproxy.config.GoogleAuthSettings;
import dev.llmproxy.provider.TokenCredential;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The access tokens of the upstreams whose key holds credentials ({@link TokenCredential}: an Entra ID application
 * for Azure OpenAI, a Google service account for Vertex AI), one per credentials (the scope is always the provider's).
 * The same cache for every kind; only the {@link TokenEndpoint} differs. A proxied call asks with {@link #token}: a
 * token at hand is answered at once; only when there is none (the first call, or after a long quiet spell) does the
 * call wait for the token endpoint, and calls that wait together share one request. A token is fetched again in the background once
 * {@value #REFRESH_PERCENT}% of its lifetime has passed, if it was used meanwhile, so that busy upstreams never wait;
 * a failed refresh keeps the token while it lasts and is tried again. Requests to the endpoint run on threads of
 * their own (from {@link ApplicationThreads}), each within its kind's deadline ({@code azure-entra-timeout-ms},
 * {@code vertex-ai-token-timeout-ms}); a failure is answered to the calls that asked within {@value #FAILURE_HOLD_MS} ms without asking again, so a wrong secret does not turn
 * every call (and its retries) into a token request.
 */
public final class AccessTokens implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessTokens.class.getName());
    static final int REFRESH_PERCENT = 80;
    static final long FAILURE_HOLD_MS = 2_000;
    /** A refresh that failed is tried again by a call that comes this long after it, while the token lasts. */
    static final long REFRESH_RETRY_MS = 10_000;

    private final TokenEndpoint endpoint;
    private final ToLongFunction<TokenCredential> timeoutsMs;
    private final ScheduledThreadPoolExecutor timers;
    private final ThreadPoolExecutor fetchers;
    private final ConcurrentMap<TokenCredential, Entry> entries = new ConcurrentHashMap<>();

    public AccessTokens(EntraSettings entra, GoogleAuthSettings google) {
        this(new TokenEndpoints(entra, google));
    }

    private AccessTokens(TokenEndpoints endpoints) {
        this(endpoints, endpoints::timeoutMs);
    }

    /** Over another endpoint: the tests' fakes. */
    public AccessTokens(TokenEndpoint endpoint, long timeoutMs) {
        this(endpoint, credential -> timeoutMs);
    }

    private AccessTokens(TokenEndpoint endpoint, ToLongFunction<TokenCredential> timeoutsMs) {
        this.endpoint = endpoint;
        this.timeoutsMs = timeoutsMs;
        timers = new ScheduledThreadPoolExecutor(1, ApplicationThreads.named("llm-proxy-token-timer"));
        timers.setRemoveOnCancelPolicy(true);
        // Token requests block (one per application at a time); a few threads, ended when idle.
        fetchers = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_000),
                ApplicationThreads.numbered("llm-proxy-token"));
        fetchers.allowCoreThreadTimeOut(true);
    }

    /**
     * The access token for {@code credential}: completed at once when one is at hand, else when the endpoint
     * answered; failed with {@link AccessTokenException} when it could not be had within the deadline. Completed on a
     * thread of this class when it was not at once, so what the caller chains on it must not block.
     */
    public CompletableFuture<String> token(TokenCredential credential) {
        Entry entry = entries.computeIfAbsent(credential, Entry::new);
        return entry.token();
    }

    /** The provider refused {@code accessToken} (401): it is dropped, so that the next call gets a new one. */
    public void refused(TokenCredential credential, String accessToken) {
        Entry entry = entries.get(credential);
        if (entry != null) {
            entry.drop(accessToken);
        }
    }

    /** Credentials with a token or a request under way, for the tests. */
    int held() {
        return entries.size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        fetchers.shutdownNow();
        entries.clear();
    }

    private static long now() {
        return System.nanoTime();
    }

    /** A token with its times, in {@link System#nanoTime()}. */
    private record Held(String value, long refreshAt, long usableUntil) {
        static Held of(TokenEndpoint.Issued issued, long fetchedAt) {
            long lifetime = TimeUnit.SECONDS.toNanos(issued.lifetimeSeconds());
            // usable until shortly before it expires: a call sent at the last moment must not arrive with a dead token
            long margin = Math.min(TimeUnit.SECONDS.toNanos(30), lifetime / 10);
            return new Held(issued.accessToken(), fetchedAt + lifetime / 100 * REFRESH_PERCENT,
                    fetchedAt + lifetime - margin);
        }

        @Override
        public String toString() {
            return "Held[token not shown]";
        }
    }

    /** One credentials' token, its request under way, and its last failure. */
    private final class Entry {
        private final TokenCredential application;
        private Held held;
        private CompletableFuture<String> fetching;
        private boolean usedSinceFetch;
        private CompletableFuture<String> lastFailure;
        private long failedAt;
        private long refreshNotBefore = now();

        Entry(TokenCredential application) {
            this.application = application;
        }

        synchronized CompletableFuture<String> token() {
            long now = now();
            if (held != null && now - held.usableUntil < 0) {
                usedSinceFetch = true;
                if (now - held.refreshAt >= 0 && now - refreshNotBefore >= 0 && fetching == null) {
                    fetch(); // past its refresh time (no timer refreshed it while unused): renewed behind this call
                }
                return CompletableFuture.completedFuture(held.value);
            }
            held = null;
            if (fetching != null) {
                return fetching;
            }
            if (recentlyFailed(now)) {
                return lastFailure;
            }
            return fetch();
        }

        private boolean recentlyFailed(long now) {
            return lastFailure != null && now - failedAt < TimeUnit.MILLISECONDS.toNanos(FAILURE_HOLD_MS);
        }

        synchronized void drop(String accessToken) {
            if (held != null && held.value.equals(accessToken)) {
                held = null;
                lastFailure = null; // a new token is wanted at once
            }
        }

        /** Starts a request to the endpoint; under this entry's lock. */
        private CompletableFuture<String> fetch() {
            CompletableFuture<String> future = new CompletableFuture<>();
            fetching = future;
            usedSinceFetch = false;
            long timeoutMs = timeoutsMs.applyAsLong(application);
            try {
                var deadline = timers.schedule(() -> fail(future, AccessTokenException.unavailable(application,
                        "did not answer within " + timeoutMs + " ms")), timeoutMs, TimeUnit.MILLISECONDS);
                fetchers.execute(() -> {
                    try {
                        long started = now();
                        TokenEndpoint.Issued issued = endpoint.fetch(application);
                        stored(future, Held.of(issued, started));
                    } catch (AccessTokenException e) {
                        fail(future, e);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, application.issuer() + " token request for " + application
                                + " failed", e);
                        fail(future, AccessTokenException.unavailable(application, "could not be asked"));
                    } finally {
                        deadline.cancel(false);
                    }
                });
            } catch (RejectedExecutionException e) { // closed, or a thousand applications waiting
                fail(future, AccessTokenException.unavailable(application,
                        "could not be asked (the proxy is busy or stopping)"));
            }
            return future;
        }

        private void stored(CompletableFuture<String> future, Held token) {
            synchronized (this) {
                held = token;
                lastFailure = null;
                if (fetching == future) {
                    fetching = null;
                }
            }
            scheduleRefresh(token);
            future.complete(token.value);
        }

        private void fail(CompletableFuture<String> future, AccessTokenException failure) {
            synchronized (this) {
                if (fetching != future) {
                    return; // answered already, or the deadline came first
                }
                fetching = null;
                if (held == null) { // the calls that wait get the failure; a refresh's failure keeps the token
                    lastFailure = future;
                    failedAt = now();
                } else { // tried again by the next call after a while; gone when it runs out unrenewed
                    refreshNotBefore = now() + TimeUnit.MILLISECONDS.toNanos(REFRESH_RETRY_MS);
                    Held token = held;
                    schedule(() -> lapse(token), token.usableUntil);
                }
            }
            future.completeExceptionally(failure);
        }

        private void scheduleRefresh(Held token) {
            schedule(() -> refreshIfUsed(token), token.refreshAt);
        }

        private void schedule(Runnable task, long atNanos) {
            try {
                timers.schedule(task, Math.max(0, atNanos - now()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closed: nothing is refreshed any more
            }
        }

        /** The timer's refresh: only for a token used since it was fetched; an unused one lapses. */
        private synchronized void refreshIfUsed(Held token) {
            if (held != token || fetching != null) {
                return; // replaced or dropped meanwhile, or already being renewed
            }
            if (usedSinceFetch) {
                fetch();
            } else {
                schedule(() -> lapse(token), token.usableUntil);
            }
        }

        /** A token ran out unrenewed: the entry goes, and with it the secret, until the next call asks. */
        private synchronized void lapse(Held token) {
            if (held == token && fetching == null) {
                entries.remove(application, this);
            }
        }
    }
}
