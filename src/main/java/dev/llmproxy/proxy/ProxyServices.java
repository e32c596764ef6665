package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.limits.Budgets;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.usage.Prices;
import dev.llmproxy.usage.TokenEstimator;

/** What every exchange shares, built once by the application. */
public record ProxyServices(UpstreamClient client, ProxySettings settings, OpenAiErrors errors, CallLog callLog,
                            TokenEstimator estimator, Budgets budgets, Prices prices, RateLimiter rateLimiter) {}
