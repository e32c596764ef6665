package dev.llmproxy.admin;

import dev.llmproxy.config.SecretFiles;
import dev.llmproxy.config.Settings;
import dev.llmproxy.persistence.Jpa;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Decides the management token at start-up. A configured {@code management-token} wins. Otherwise the first
 * instance to start on a database generates one, stores only its hash, and writes the plain value once to
 * {@code <data-dir>/initial-management-token} (mode 0600), as Jenkins does with its initial admin password.
 */
public final class ManagementTokenSetup {
    static final String INITIAL_TOKEN_FILE = "initial-management-token";
    private static final Logger LOG = Logger.getLogger(ManagementTokenSetup.class.getName());

    private final Jpa jpa;
    private final SecureRandom random;
    private final Clock clock;

    public ManagementTokenSetup(Jpa jpa, SecureRandom random, Clock clock) {
        this.jpa = jpa;
        this.random = random;
        this.clock = clock;
    }

    public ManagementAuthenticator authenticator(Settings settings) {
        if (settings.managementToken().isPresent()) {
            LOG.info("Admin API: management token taken from settings");
            return new ManagementAuthenticator(ManagementAuthenticator.sha256Hex(settings.managementToken().get()));
        }
        Optional<String> stored = storedHash();
        if (stored.isPresent()) {
            LOG.info(() -> "Admin API: using the generated management token (its plain value was written once to "
                    + settings.dataDir().resolve(INITIAL_TOKEN_FILE) + " on the instance that generated it)");
            return new ManagementAuthenticator(stored.get());
        }
        return new ManagementAuthenticator(generate(settings.dataDir()));
    }

    private Optional<String> storedHash() {
        return jpa.inTransaction(em -> Optional.ofNullable(
                em.find(ManagementCredential.class, ManagementCredential.GENERATED))
                .map(ManagementCredential::tokenHash));
    }

    private String generate(Path dataDir) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "lpm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String hash = ManagementAuthenticator.sha256Hex(token);
        try {
            jpa.run(em -> em.persist(new ManagementCredential(hash, clock.instant())));
        } catch (PersistenceException e) {
            // Another instance on the same database generated one at the same moment; theirs stands.
            return storedHash().orElseThrow(() -> e);
        }
        Path file = dataDir.resolve(INITIAL_TOKEN_FILE);
        try {
            // A file left from an earlier database holds a token that no longer works; replace it.
            java.nio.file.Files.deleteIfExists(file);
            SecretFiles.writeOwnerOnly(file, token);
        } catch (IOException e) {
            throw new UncheckedIOException("Generated a management token but could not write it to " + file
                    + "; fix the data directory or set management-token", e);
        }
        LOG.warning(() -> "Admin API: generated a management token and wrote it to " + file
                + " (readable by its owner only). Use it as 'Authorization: Bearer <token>' on /manage, then"
                + " delete the file or set management-token.");
        return hash;
    }
}
