package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import dev.llmproxy.cache.CacheKey;
import dev.llmproxy.cache.CacheLookup;
import dev.llmproxy.cache.CachedResponse;
import dev.llmproxy.cache.ResponseCache;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.config.RoutingSettings;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.routing.CircuitBreakers;
import dev.llmproxy.routing.RetryPolicy;
import dev.llmproxy.routing.RoutePlan;
import dev.llmproxy.token.TokenGrant;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.TokenEstimator;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides, once the body is read, whether a call goes upstream: the model allowlist, the upstreams that serve the
 * model, the response cache, the per-minute limits and the budgets, in that order (cheapest and most final first).
 * The outcome is a cached answer, an {@link AdmittedCall}, or a {@link DomainException} naming the refusal.
 */
final class Admission {
    private static final Logger LOG = Logger.getLogger(Admission.class.getName());

    /** The outcome that lets the call through: an answer from the cache, or a call to make. */
    sealed interface Decision permits Cached, Admitted {}

    record Cached(CachedResponse hit, CacheLookup lookup) implements Decision {}

    record Admitted(AdmittedCall call) implements Decision {}

    private final ResponseCache cache;
    private final TokenEstimator estimator;
    private final Supplier<PriceTable> prices;
    private final Budgets budgets;
    private final RateLimiter rateLimiter;
    private final CircuitBreakers breakers;
    private final RoutingSettings routing;
    private final ProxySettings settings;

    Admission(ResponseCache cache, TokenEstimator estimator, Supplier<PriceTable> prices, Budgets budgets,
              RateLimiter rateLimiter, CircuitBreakers breakers, RoutingSettings routing, ProxySettings settings) {
        this.cache = cache;
        this.estimator = estimator;
        this.prices = prices;
        this.budgets = budgets;
        this.rateLimiter = rateLimiter;
        this.breakers = breakers;
        this.routing = routing;
        this.settings = settings;
    }

    /** Whether admitting a call of this grant waits on the database: a budget, or a limit in shared buckets. */
    boolean needsDatabase(TokenGrant grant) {
        return grant.tokenBudget().isPresent() || grant.projectBudget().isPresent()
                || rateLimiter.shared() && !(grant.tokenRateLimit().isNone() && grant.projectRateLimit().isNone());
    }

    /**
     * Admits the call or throws the refusal; the model the caller asked for goes into {@code call} either way.
     * {@code charge} takes the bytes of a decoded body from the budget of body bytes in flight.
     */
    Decision admit(TokenGrant grant, CallerRequest request, byte[] sent, CallRecord call, BodyEncoding.Charge charge) {
        byte[] requestBody = BodyEncoding.decoded(request.header("Content-Encoding"), sent,
                settings.maxRequestBodyBytes(), charge);
        UpstreamBody named = UpstreamBody.of(requestBody, request.contentType(), grant.provider(), request.path());
        if (!grant.deployments().serves(named.model())) {
            throw ProxyRefusal.deploymentNotNamed(named.model()); // before any upstream traffic
        }
        UpstreamBody body = named.withModel(grant.deployments().modelOf(named.model()));
        call.model(body.model());
        if (readsTheBody(grant)) {
            failClosed(body); // a rule needs what is in the body: nothing unread or unnamed passes it
        }
        if (!grant.models().allows(body.model())) {
            throw ProxyRefusal.modelNotAllowed(body.model()); // before any upstream traffic
        }
        RoutePlan plan = RoutePlan.forModel(grant.upstreams(), body.model(), breakers, routing,
                RetryPolicy.of(request.method(), grant.retryUnsafe().orElse(routing.retryUnsafe())));
        if (!plan.hasCandidates()) {
            throw ProxyRefusal.noUpstreamForModel(body.model());
        }
        CacheLookup lookup = cache.lookup(grant.cache(), request.header("Cache-Control"), body.deterministic(),
                () -> CacheKey.of(grant.projectId(), grant.cache().generation(), request.method(),
                        request.pathAndQuery(), CacheVary.of(request.headers()), requestBody));
        if (lookup.hit().isPresent()) {
            return new Cached(lookup.hit().get(), lookup); // no rate limit, no budget, nothing upstream
        }
        List<RateLimiter.Scoped> limits = rateLimits(grant);
        List<Budgets.Scoped> spending = budgets(grant);
        // Counting the prompt costs more than the rest of the admission: only limits and budgets need it.
        long prompt = limits.isEmpty() && spending.isEmpty() ? 0 : estimator.countPrompt(body.model(), body.prompt());
        RateLimiter.Admission rate = limits.isEmpty() ? null : takeRate(grant, limits, prompt);
        Budgets.Reservation reservation;
        try {
            reservation = spending.isEmpty() ? null : reserve(grant, spending, body, prompt);
        } catch (RuntimeException e) {
            if (rate != null) {
                rate.correct(0); // the tokens taken go back; the request counts as made
            }
            throw e;
        }
        UsageMeter meter = new UsageMeter(grant.provider().definition().usage(request.path()), body.model(),
                body.injectedStreamUsage(), body.prompt(), estimator);
        return new Admitted(new AdmittedCall(body, plan, lookup, meter, rate, reservation, rateLimiter.shared()));
    }

    /**
     * Whether a rule of this grant depends on the body: a model allowlist, an upstream's model patterns, a budget or
     * a tokens-per-minute limit (both estimate from the prompt).
     */
    private static boolean readsTheBody(TokenGrant grant) {
        return !grant.models().patterns().isEmpty()
                || grant.upstreams().stream().anyMatch(u -> !u.models().patterns().isEmpty())
                || grant.tokenBudget().isPresent() || grant.projectBudget().isPresent()
                || grant.tokenRateLimit().tokensPerMinute() != null
                || grant.projectRateLimit().tokensPerMinute() != null;
    }

    /** A body the proxy could not read, or one that names no model, is refused: it would pass every rule unseen. */
    private static void failClosed(UpstreamBody body) {
        if (!body.readable()) {
            throw ProxyRefusal.unreadableBody(body.unreadable());
        }
        if (body.bytes().length > 0 && body.model() == null) {
            throw ProxyRefusal.modelMissing();
        }
    }

    private RateLimiter.Admission takeRate(TokenGrant grant, List<RateLimiter.Scoped> limits, long prompt) {
        try {
            return rateLimiter.admit(limits, prompt);
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Rate limit check failed for " + grant, e);
            throw ProxyRefusal.rateLimitUnavailable();
        }
    }

    /**
     * Reserves the call's estimated cost on the budgets: the priced prompt estimate plus the caller's output cap (or
     * {@code budget-default-output-tokens}); a model without a price reserves nothing.
     */
    private Budgets.Reservation reserve(TokenGrant grant, List<Budgets.Scoped> spending, UpstreamBody body,
                                        long prompt) {
        long output = body.maxOutputTokens() != null ? body.maxOutputTokens() : settings.defaultOutputTokens();
        long estimate = prices.get().find(body.model())
                .map(p -> p.costMicros(TokenUsage.estimate(prompt, output))).orElse(0L);
        try {
            return budgets.reserve(spending, estimate);
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Budget check failed for " + grant, e);
            throw ProxyRefusal.budgetUnavailable();
        }
    }

    /** The token's and the project's budgets, where they have one. */
    private static List<Budgets.Scoped> budgets(TokenGrant grant) {
        List<Budgets.Scoped> budgets = new ArrayList<>();
        grant.tokenBudget().ifPresent(b -> budgets.add(new Budgets.Scoped("token", grant.tokenId(), b)));
        grant.projectBudget().ifPresent(b -> budgets.add(new Budgets.Scoped("project", grant.projectId(), b)));
        return budgets;
    }

    /** The token's and the project's per-minute limits, where they have one. */
    private static List<RateLimiter.Scoped> rateLimits(TokenGrant grant) {
        List<RateLimiter.Scoped> limits = new ArrayList<>();
        if (!grant.tokenRateLimit().isNone()) {
            limits.add(new RateLimiter.Scoped("token", grant.tokenId(), grant.tokenRateLimit()));
        }
        if (!grant.projectRateLimit().isNone()) {
            limits.add(new RateLimiter.Scoped("project", grant.projectId(), grant.projectRateLimit()));
        }
        return limits;
    }
}
