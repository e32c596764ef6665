package dev.llmproxy.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Base64;

/**
 * One of the installation's data keys (token hashing, the audit chain), sealed under a master key. It never changes
 * once made: what it keys (token hashes, audit MACs) cannot be recomputed; a master key rotation re-seals it.
 */
@Entity
@Table(name = "installation_keys")
public class InstallationKey {
    @Id
    private String purpose;
    @Column(name = "key_id")
    private String keyId;
    private String sealed;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "sealed_at")
    private Instant sealedAt;
    @Version
    private long version;

    protected InstallationKey() {
        // for JPA
    }

    InstallationKey(String purpose, byte[] key, KeyCipher cipher, Instant now) {
        this.purpose = purpose;
        this.createdAt = now;
        seal(key, cipher, now);
    }

    String purpose() {
        return purpose;
    }

    SealedSecret sealedSecret() {
        return new SealedSecret(keyId, sealed);
    }

    byte[] open(KeyCipher cipher) {
        return Base64.getDecoder().decode(cipher.open(sealedSecret(), context()));
    }

    /** Seals the same key again under the cipher's current master key. */
    void reseal(KeyCipher cipher, Instant now) {
        seal(open(cipher), cipher, now);
    }

    private void seal(byte[] key, KeyCipher cipher, Instant now) {
        SealedSecret s = cipher.seal(Base64.getEncoder().encodeToString(key), context());
        this.keyId = s.keyId();
        this.sealed = s.ciphertext();
        this.sealedAt = now;
    }

    private String context() {
        return "installation_keys/" + purpose;
    }
}
