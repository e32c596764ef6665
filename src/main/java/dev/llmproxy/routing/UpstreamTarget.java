package dev.llmproxy.routing;

import dev.llmproxy.project.KeyCipher;
import dev.llmproxy.project.ModelAllowlist;
import dev.llmproxy.project.Upstream;
import dev.llmproxy.project.Provider;

/**
 * An upstream as the proxy uses it, with its key opened. Never log the key ({@link #toString()} leaves it out).
 *
 * @param version grows with every change of the upstream; part of its breaker's identity
 */
public record UpstreamTarget(String id, String name, long version, Provider provider, String baseUrl,
                             String apiKey, ModelAllowlist models) {

    public static UpstreamTarget of(Upstream upstream, KeyCipher cipher) {
        return new UpstreamTarget(upstream.id(), upstream.name(), upstream.version(), upstream.provider(),
                upstream.effectiveBaseUrl(), upstream.apiKey(cipher), upstream.models());
    }

    /** Whether this upstream serves {@code model}; a request without a model (e.g. listing models) goes anywhere. */
    public boolean serves(String model) {
        return models.allows(model);
    }

    @Override
    public String toString() {
        return "UpstreamTarget[" + name + " (" + id + "), " + provider.id() + " at " + baseUrl + "]";
    }
}
