package dev.llmproxy.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The SHA-256 hash of a generated management token; the plain value is never stored. */
@Entity
@Table(name = "management_credentials")
public class ManagementCredential {
    /** The one row's id: every instance sharing the database shares one generated token. */
    static final String GENERATED = "generated";

    @Id
    private String id;
    @Column(name = "token_hash")
    private String tokenHash;
    @Column(name = "created_at")
    private Instant createdAt;

    protected ManagementCredential() {
        // for JPA
    }

    ManagementCredential(String tokenHash, Instant now) {
        this.id = GENERATED;
        this.tokenHash = tokenHash;
        this.createdAt = now;
    }

    String tokenHash() {
        return tokenHash;
    }
}
