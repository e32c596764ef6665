package dev.llmproxy.audit;

/**
 * Every action the audit trail records, in one list: docs/usage-and-audit.md lists the same ids (a test keeps the two
 * in step), and the admin API filters by them.
 */
public enum AuditAction {
    PROJECT_CREATED("project.created"),
    PROJECT_UPDATED("project.updated"),
    PROJECT_KEY_ROTATED("project.key_rotated"),
    PROJECT_ACTIVATED("project.activated"),
    PROJECT_DEACTIVATED("project.deactivated"),
    PROJECT_ALLOWLISTS_CHANGED("project.allowlists_changed"),
    PROJECT_BUDGET_CHANGED("project.budget_changed"),
    PROJECT_RATE_LIMIT_CHANGED("project.rate_limit_changed"),
    PROJECT_CACHE_CHANGED("project.cache_changed"),
    PROJECT_TOKENS_REVOKED("project.tokens_revoked"),
    UPSTREAM_CREATED("upstream.created"),
    UPSTREAM_UPDATED("upstream.updated"),
    UPSTREAM_KEY_ROTATED("upstream.key_rotated"),
    UPSTREAM_DELETED("upstream.deleted"),
    TOKEN_CREATED("token.created"),
    TOKEN_UPDATED("token.updated"),
    TOKEN_REVOKED("token.revoked"),
    PRICE_UPDATED("price.updated"),
    PRICE_DELETED("price.deleted"),
    CACHE_PURGED("cache.purged"),
    BACKUP_CREATED("backup.created"),
    /** Every stored provider key and installation key re-sealed under the current master key (#14). */
    KEYS_RE_ENCRYPTED("keys.re_encrypted"),
    /** Grouped: missing or unknown proxy tokens, per client address and reason and window. */
    PROXY_TOKEN_REJECTED("proxy.token_rejected"),
    /** Grouped: wrong or missing management tokens, per client address and reason and window. */
    MANAGEMENT_AUTH_FAILED("management.auth_failed");

    private final String id;

    AuditAction(String id) {
        this.id = id;
    }

    /** The id stored with the event and shown by the admin API. */
    public String id() {
        return id;
    }
}
