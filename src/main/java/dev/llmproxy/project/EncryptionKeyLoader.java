package dev.llmproxy.project;

import dev.llmproxy.config.InvalidSettingException;
import dev.llmproxy.config.SecretFiles;
import dev.llmproxy.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Finds the key that encrypts provider API keys: the {@code encryption-key} setting (base64 of 32 bytes) or, when
 * absent and allowed, a key file generated once in the data directory, never in the database, so that a copy of
 * the database alone does not reveal the keys.
 */
public final class EncryptionKeyLoader {
    static final String KEY_FILE = "encryption-key";
    private static final Logger LOG = Logger.getLogger(EncryptionKeyLoader.class.getName());

    private final SecureRandom random;

    /** @param random generates the key file's key when there is none */
    public EncryptionKeyLoader(SecureRandom random) {
        this.random = random;
    }

    public MasterKey load(Settings settings) {
        if (settings.encryptionKey().isPresent()) {
            return new MasterKey(decode(settings.encryptionKey().get()));
        }
        Path file = settings.dataDir().resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            return new MasterKey(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the encryption key file " + file, e);
        }
    }

    private void generate(Path file) throws IOException {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            SecretFiles.writeOwnerOnly(file, Base64.getEncoder().encodeToString(key));
            LOG.warning(() -> "No encryption-key setting: generated " + file + " to encrypt provider API keys."
                    + " Back it up with the database, and set the same encryption-key on every instance that"
                    + " shares a database (see docs/configuration.md).");
        } catch (FileAlreadyExistsException e) {
            // Another instance sharing this data directory generated it first; use theirs.
        }
    }

    private static byte[] decode(String value) {
        try {
            byte[] key = Base64.getDecoder().decode(value);
            if (key.length != 32) {
                throw new InvalidSettingException(Settings.ENCRYPTION_KEY, "setting",
                        "must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`), got " + key.length
                                + " bytes");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Settings.ENCRYPTION_KEY, "setting", "is not valid base64", e);
        }
    }
}
