/**
 * Microsoft Entra ID access tokens for the upstreams whose key names an application
 * ({@code provider.EntraApplication}): got with the OAuth 2.0 client credentials grant through Nimbus's OAuth SDK
 * ({@link NimbusTokenEndpoint}), cached per application and refreshed in the background before they expire
 * ({@link EntraTokens}), so that a proxied call waits for the token endpoint only when no token is at hand. Depends on
 * {@code config} and {@code provider} only.
 */
package dev.llmproxy.entra;
