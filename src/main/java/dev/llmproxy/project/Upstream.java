package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One place a project's requests can go: a provider, its base URL and key, the models it serves (globs; none: all)
 * and its priority (lower first). The key is stored only sealed by {@link KeyCipher}, bound to the project and this
 * row; the API shows only {@link #apiKeyHint()}.
 */
@Entity
@Table(name = "project_upstreams")
public class Upstream {
    static final String DEFAULT_NAME = "default";
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,100}");

    @Id
    private String id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "project_id")
    private Project project;
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
    @Column(name = "model_patterns")
    private String modelPatterns;
    private int priority;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Version
    private long version;

    protected Upstream() {
        // for JPA
    }

    /**
     * The upstream a project is created with shares the project's id: the key of every project created before
     * upstreams existed was sealed under that id, and the migration moved it here unchanged.
     */
    Upstream(String id, Project project, String name, Provider provider, String baseUrl, String apiKey,
             List<String> models, int priority, KeyCipher cipher, Instant now) {
        this.id = id == null ? UUID.randomUUID().toString() : id;
        this.project = project;
        this.name = validName(name);
        this.provider = provider;
        this.baseUrl = validBaseUrl(provider, baseUrl);
        this.createdAt = now;
        changeModels(models, now);
        changePriority(priority, now);
        replaceApiKey(apiKey, cipher, now);
    }

    void rename(String newName, Instant now) {
        this.name = validName(newName);
        this.updatedAt = now;
    }

    void changeBaseUrl(String newBaseUrl, Instant now) {
        this.baseUrl = validBaseUrl(provider, newBaseUrl);
        this.updatedAt = now;
    }

    void replaceApiKey(String apiKey, KeyCipher cipher, Instant now) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new InvalidFieldException("api_key", "is required and must not be blank");
        }
        if (apiKey.length() > 4096) {
            throw new InvalidFieldException("api_key", "must be at most 4096 characters");
        }
        provider.definition().apiKeyProblem(apiKey).ifPresent(problem -> {
            throw new InvalidFieldException("api_key", problem);
        });
        SealedSecret sealed = cipher.seal(apiKey, sealContext());
        this.apiKeyCiphertext = sealed.ciphertext();
        this.apiKeyKeyId = sealed.keyId();
        this.apiKeyHint = ApiKeyHint.clipped(provider.definition().keyHint(apiKey)
                .orElseGet(() -> ApiKeyHint.of(apiKey)));
        this.updatedAt = now;
    }

    void changeModels(List<String> patterns, Instant now) {
        this.modelPatterns = CommaList.join(new ModelAllowlist("models", patterns == null ? List.of() : patterns)
                .patterns());
        this.updatedAt = now;
    }

    void changePriority(int newPriority, Instant now) {
        if (newPriority < 0 || newPriority > 1000) {
            throw new InvalidFieldException("priority", "must be between 0 and 1000 (lower goes first), got "
                    + newPriority);
        }
        this.priority = newPriority;
        this.updatedAt = now;
    }

    /** The provider key in plain text, for the upstream request only: never log or return it. */
    public String apiKey(KeyCipher cipher) {
        return cipher.open(sealedApiKey(), sealContext());
    }

    SealedSecret sealedApiKey() {
        return new SealedSecret(apiKeyKeyId, apiKeyCiphertext);
    }

    /** The same provider key sealed again under the cipher's current master key (for {@link KeyRotation}). */
    SealedSecret resealedApiKey(KeyCipher cipher) {
        return cipher.seal(apiKey(cipher), sealContext());
    }

    private String sealContext() {
        String projectId = project.id();
        return id.equals(projectId) ? "projects/" + projectId + "/api_key"
                : "projects/" + projectId + "/upstreams/" + id + "/api_key";
    }

    /** The models this upstream serves; empty: every model. */
    public ModelAllowlist models() {
        return new ModelAllowlist("models", CommaList.split(modelPatterns));
    }

    /** The URL requests go to: the upstream's own or the provider's default. */
    public String effectiveBaseUrl() {
        return baseUrl != null ? baseUrl : provider.defaultBaseUrl().orElseThrow();
    }

    public String id() {
        return id;
    }

    public String projectId() {
        return project.id();
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

    /** Grows with every change; a changed upstream starts with a fresh circuit breaker. */
    public long version() {
        return version;
    }

    public int priority() {
        return priority;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    private static String validName(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            throw new InvalidFieldException("name", "must be 1 to 100 of A-Z a-z 0-9 . _ -, got '" + name + "'");
        }
        return name;
    }

    private static String validBaseUrl(Provider provider, String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            if (provider.defaultBaseUrl().isEmpty()) {
                throw new InvalidFieldException("base_url", "is required for provider " + provider.id());
            }
            return null;
        }
        String url = BaseUrl.normalize("base_url", baseUrl);
        provider.definition().baseUrlProblem(url).ifPresent(problem -> {
            throw new InvalidFieldException("base_url", problem);
        });
        return url;
    }
}
