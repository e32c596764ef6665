package dev.llmproxy.token;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.limits.Limited;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A short-lived credential for one project. Only its keyed hash is stored; the plain token is shown once, when
 * issued. Revocation is final: no method un-revokes.
 */
@Entity
@Table(name = "tokens")
public class Token extends Limited {
    @Id
    private String id;
    @Column(name = "project_id")
    private String projectId;
    private String name;
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "token_hint")
    private String tokenHint;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "max_requests")
    private Long maxRequests;
    @Column(name = "request_count")
    private long requestCount;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Version
    private long version;

    protected Token() {
        // for JPA
    }

    public Token(String projectId, String name, String tokenHash, String tokenHint, Instant expiresAt,
                 Long maxRequests, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.projectId = projectId;
        this.tokenHash = tokenHash;
        this.tokenHint = tokenHint;
        this.createdAt = now;
        this.updatedAt = now;
        rename(name, now);
        changeExpiry(expiresAt, now);
        changeMaxRequests(maxRequests, now);
    }

    public void rename(String newName, Instant now) {
        if (newName != null && newName.strip().length() > 200) {
            throw new InvalidFieldException("name", "must be at most 200 characters");
        }
        this.name = newName == null || newName.isBlank() ? null : newName.strip();
        this.updatedAt = now;
    }

    public void changeExpiry(Instant newExpiry, Instant now) {
        if (newExpiry == null || !newExpiry.isAfter(now)) {
            throw new InvalidFieldException("expires_at", "must be in the future");
        }
        this.expiresAt = newExpiry;
        this.updatedAt = now;
    }

    public void changeMaxRequests(Long newMax, Instant now) {
        if (newMax != null && newMax < 1) {
            throw new InvalidFieldException("max_requests", "must be 1 or more, or absent for no limit");
        }
        this.maxRequests = newMax;
        this.updatedAt = now;
    }

    public void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
            updatedAt = now;
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpiredAt(Instant now) {
        return expired(expiresAt, now);
    }

    /** The expiry rule, for a token and for its cached grant: a token is dead from its expiry instant on. */
    static boolean expired(Instant expiresAt, Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Not revoked and not expired; quotas and the project's state are checked separately. */
    public boolean isActiveAt(Instant now) {
        return !isRevoked() && !isExpiredAt(now);
    }

    @Override
    protected void touched(Instant now) {
        this.updatedAt = now;
    }

    public String id() {
        return id;
    }

    public String projectId() {
        return projectId;
    }

    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    public String tokenHash() {
        return tokenHash;
    }

    public String tokenHint() {
        return tokenHint;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Optional<Long> maxRequests() {
        return Optional.ofNullable(maxRequests);
    }

    public long requestCount() {
        return requestCount;
    }

    public Optional<Instant> lastUsedAt() {
        return Optional.ofNullable(lastUsedAt);
    }

    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revokedAt);
    }
}
