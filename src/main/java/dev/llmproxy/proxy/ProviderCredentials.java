package dev.llmproxy.proxy;

import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.provider.UpstreamHeaders;
import dev.llmproxy.routing.UpstreamTarget;
import org.eclipse.jetty.http.HttpFields;

/** Puts an upstream's key where its provider expects it: its definition says where. */
final class ProviderCredentials {
    private ProviderCredentials() {
    }

    static void apply(UpstreamTarget target, ProxySettings settings, HttpFields.Mutable headers) {
        target.provider().definition().applyCredentials(target.apiKey(), settings, new UpstreamHeaders() {
            @Override
            public boolean has(String name) {
                return headers.contains(name);
            }

            @Override
            public void put(String name, String value) {
                headers.put(name, value);
            }
        });
    }
}
