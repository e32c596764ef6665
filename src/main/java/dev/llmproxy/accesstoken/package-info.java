/**
 * Access tokens for the upstreams whose key holds credentials instead of being sent itself
 * ({@code provider.TokenCredential}): a Microsoft Entra ID application's, got with the OAuth 2.0 client credentials
 * grant ({@link EntraTokenEndpoint}), and a Google service account's, got with the JWT bearer grant
 * ({@link GoogleTokenEndpoint}), both through Nimbus's OAuth SDK ({@link OAuthExchange}); cached per credentials and
 * refreshed in the background before they expire by one mechanism for every kind ({@link AccessTokens}), so that a
 * proxied call waits for a token endpoint only when no token is at hand. Depends on {@code config} and
 * {@code provider} only.
 */
package dev.llmproxy.accesstoken;
