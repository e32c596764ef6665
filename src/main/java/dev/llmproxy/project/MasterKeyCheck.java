package dev.llmproxy.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The check value of a master key that sealed something in this database ({@link MasterKey#checkValue()}). */
@Entity
@Table(name = "master_key_checks")
public class MasterKeyCheck {
    @Id
    @Column(name = "key_id")
    private String keyId;
    @Column(name = "check_value")
    private String checkValue;
    @Column(name = "created_at")
    private Instant createdAt;

    protected MasterKeyCheck() {
        // for JPA
    }

    MasterKeyCheck(MasterKey key, Instant now) {
        this.keyId = key.id();
        this.checkValue = key.checkValue();
        this.createdAt = now;
    }

    String keyId() {
        return keyId;
    }

    /** Whether {@code key} is the key this row was made from (compared in constant time). */
    boolean matches(MasterKey key) {
        return key.id().equals(keyId) && java.security.MessageDigest.isEqual(
                key.checkValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                checkValue.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    Instant createdAt() {
        return createdAt;
    }
}
