package dev.llmproxy.provider;

/**
 * Credentials that an upstream is not called with themselves but that get the access tokens it is called with
 * ({@code Authorization: Bearer}): a Microsoft Entra ID application (Azure OpenAI) or a Google service account
 * (Vertex AI). The proxy's {@code accesstoken} package caches one token per credential and refreshes it; these
 * methods give its errors their words. Implementations are values (equal when the credentials are) whose
 * {@code toString()} shows no secret.
 */
public interface TokenCredential {
    /** Who issues the tokens, for messages: "Microsoft Entra ID". */
    String issuer();

    /** The upstream the tokens are for, for messages: "Azure OpenAI". */
    String upstream();

    /** What the upstream's api_key must be, for the message telling an administrator to correct it. */
    String keyForm();
}
