package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.proxy.Provider;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A team's use of one LLM provider: where to send requests and with which key. The key is stored only sealed by
 * {@link KeyCipher}, bound to this row's id; the API shows only {@link #apiKeyHint()}.
 */
@Entity
@Table(name = "projects")
public class Project {
    static final int MAX_NAME_LENGTH = 200;

    @Id
    private String id;
    private String name;
    @Convert(converter = ProviderConverter.class)
    private Provider provider;
    @Column(name = "base_url")
    private String baseUrl;
    @Column(name = "api_key_ciphertext")
    private String apiKeyCiphertext;
    @Column(name = "api_key_key_id")
    private String apiKeyKeyId;
    @Column(name = "api_key_hint")
    private String apiKeyHint;
    @Column(name = "is_active")
    private boolean active;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "deactivated_at")
    private Instant deactivatedAt;
    @Column(name = "allowed_models")
    private String allowedModels;
    @Column(name = "allowed_origins")
    private String allowedOrigins;
    @jakarta.persistence.Embedded
    private dev.llmproxy.limits.Limits limits = new dev.llmproxy.limits.Limits();
    @Version
    private long version;

    protected Project() {
        // for JPA
    }

    public Project(String name, Provider provider, String baseUrl, String apiKey, KeyCipher cipher, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.name = validName(name);
        this.provider = provider;
        this.baseUrl = validBaseUrl(provider, baseUrl);
        this.active = true;
        this.createdAt = now;
        this.updatedAt = now;
        replaceApiKey(apiKey, cipher, now);
    }

    public void rename(String newName, Instant now) {
        this.name = validName(newName);
        this.updatedAt = now;
    }

    public void changeBaseUrl(String newBaseUrl, Instant now) {
        this.baseUrl = validBaseUrl(provider, newBaseUrl);
        this.updatedAt = now;
    }

    public void replaceApiKey(String apiKey, KeyCipher cipher, Instant now) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new InvalidFieldException("api_key", "is required and must not be blank");
        }
        if (apiKey.length() > 4096) {
            throw new InvalidFieldException("api_key", "must be at most 4096 characters");
        }
        SealedSecret sealed = cipher.seal(apiKey, sealContext());
        this.apiKeyCiphertext = sealed.ciphertext();
        this.apiKeyKeyId = sealed.keyId();
        this.apiKeyHint = ApiKeyHint.of(apiKey);
        this.updatedAt = now;
    }

    /** The provider key in plain text, for the upstream request only: never log or return it. */
    public String apiKey(KeyCipher cipher) {
        return cipher.open(new SealedSecret(apiKeyKeyId, apiKeyCiphertext), sealContext());
    }

    public void activate(Instant now) {
        if (!active) {
            active = true;
            deactivatedAt = null;
            updatedAt = now;
        }
    }

    public void deactivate(Instant now) {
        if (active) {
            active = false;
            deactivatedAt = now;
            updatedAt = now;
        }
    }

    /** Model globs this project may call; empty: every model. */
    public ModelAllowlist modelAllowlist() {
        return new ModelAllowlist(split(allowedModels));
    }

    public void changeAllowedModels(List<String> patterns, Instant now) {
        this.allowedModels = join(new ModelAllowlist(patterns).patterns());
        this.updatedAt = now;
    }

    /** Browser origins allowed to call with this project's tokens; empty: none. */
    public List<String> allowedOrigins() {
        return split(allowedOrigins);
    }

    public void changeAllowedOrigins(List<String> origins, Instant now) {
        this.allowedOrigins = join(Origins.validate(origins));
        this.updatedAt = now;
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    /** The URL requests go to: the project's own or the provider's default. */
    public String effectiveBaseUrl() {
        return baseUrl != null ? baseUrl : provider.defaultBaseUrl().orElseThrow();
    }

    private String sealContext() {
        return "projects/" + id + "/api_key";
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidFieldException("name", "is required and must not be blank");
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new InvalidFieldException("name", "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return trimmed;
    }

    private static String validBaseUrl(Provider provider, String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            if (provider.defaultBaseUrl().isEmpty()) {
                throw new InvalidFieldException("base_url", "is required for provider " + provider.id());
            }
            return null;
        }
        return BaseUrl.normalize("base_url", baseUrl);
    }

    /** Hibernate loads an embeddable whose columns are all NULL as null: that means no limits. */
    private dev.llmproxy.limits.Limits limits() {
        if (limits == null) {
            limits = new dev.llmproxy.limits.Limits();
        }
        return limits;
    }

    /** Requests and tokens per minute, each optional. */
    public dev.llmproxy.limits.RateLimit rateLimit() {
        return limits().rateLimit();
    }

    public void changeRateLimit(dev.llmproxy.limits.RateLimit limit, Instant now) {
        limits().changeRateLimit(limit);
        this.updatedAt = now;
    }

    /** The spending limit, if any. */
    public java.util.Optional<dev.llmproxy.limits.Budget> budget() {
        return limits().budget();
    }

    public void changeBudget(java.util.Optional<dev.llmproxy.limits.Budget> budget, Instant now) {
        limits().changeBudget(budget);
        this.updatedAt = now;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Provider provider() {
        return provider;
    }

    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    public String apiKeyHint() {
        return apiKeyHint;
    }

    public boolean isActive() {
        return active;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Optional<Instant> deactivatedAt() {
        return Optional.ofNullable(deactivatedAt);
    }
}
