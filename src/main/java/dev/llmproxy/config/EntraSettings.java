package dev.llmproxy.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * How the proxy gets Microsoft Entra ID access tokens for Azure OpenAI upstreams whose key names an application
 * (docs/proxy.md, "Azure OpenAI").
 *
 * @param authority the Entra ID host the token endpoint is under ({@code {authority}/{tenant}/oauth2/v2.0/token}):
 *                  Azure's public cloud by default; a sovereign cloud's host, or a test's mock, otherwise
 * @param timeoutMs the longest a token request may take, connection included; past it the call waiting for the
 *                  token is refused with 503 {@code upstream_credentials_unavailable}
 */
public record EntraSettings(URI authority, int timeoutMs) {
    public static final String AZURE_ENTRA_AUTHORITY = "azure-entra-authority";
    public static final String AZURE_ENTRA_TIMEOUT_MS = "azure-entra-timeout-ms";
    static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";

    static EntraSettings read(SettingsReader reader) {
        return new EntraSettings(authority(reader), reader.integer(AZURE_ENTRA_TIMEOUT_MS, 10_000, 100, 120_000));
    }

    private static URI authority(SettingsReader reader) {
        SettingsReader.Raw raw = reader.raw(AZURE_ENTRA_AUTHORITY)
                .orElse(new SettingsReader.Raw(DEFAULT_AUTHORITY, "the default"));
        String value = raw.value().endsWith("/") ? raw.value().substring(0, raw.value().length() - 1) : raw.value();
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new InvalidSettingException(AZURE_ENTRA_AUTHORITY, raw.origin(), "must be an http(s) URL with a"
                        + " host and no query, fragment or user info, such as " + DEFAULT_AUTHORITY + "; got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(AZURE_ENTRA_AUTHORITY, raw.origin(), "is not a URL: " + e.getMessage(), e);
        }
    }
}
