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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Builds the {@link KeyRing}: the current master key from the {@code encryption-key} setting (base64 of 32 bytes) or,
 * when absent and allowed, from a key file generated once in the data directory, never in the database, so that a
 * copy of the database alone does not reveal the keys; and the retired keys from {@code encryption-keys-retired}.
 * The key file is created atomically ({@link SecretFiles}): of two instances starting together on one data
 * directory, one writes it and both read the same whole key.
 */
public final class KeyRingLoader {
    static final String KEY_FILE = "encryption-key";
    private static final Logger LOG = Logger.getLogger(KeyRingLoader.class.getName());

    private final SecureRandom random;

    /** @param random generates the key file's key when there is none */
    public KeyRingLoader(SecureRandom random) {
        this.random = random;
    }

    public KeyRing load(Settings settings) {
        MasterKey current;
        String source;
        if (settings.encryptionKey().isPresent()) {
            current = new MasterKey(decode(settings.encryptionKey().get(), Settings.ENCRYPTION_KEY, "the value"));
            source = "the " + Settings.ENCRYPTION_KEY + " setting";
        } else {
            Path file = settings.dataDir().resolve(KEY_FILE);
            current = fromFile(file);
            source = "the key file " + file;
        }
        List<MasterKey> retired = new ArrayList<>();
        List<String> values = settings.retiredEncryptionKeys();
        for (int i = 0; i < values.size(); i++) {
            String entry = "entry " + (i + 1) + " of " + values.size();
            MasterKey key = new MasterKey(decode(values.get(i), Settings.ENCRYPTION_KEYS_RETIRED, entry));
            if (key.id().equals(current.id())) {
                throw new InvalidSettingException(Settings.ENCRYPTION_KEYS_RETIRED, "setting", entry + " is the"
                        + " current key (" + current.id() + ", from " + source + "); list only older keys");
            }
            if (retired.stream().anyMatch(k -> k.id().equals(key.id()))) {
                throw new InvalidSettingException(Settings.ENCRYPTION_KEYS_RETIRED, "setting", entry + " repeats"
                        + " key " + key.id());
            }
            retired.add(key);
        }
        KeyRing ring = new KeyRing(current, source, retired);
        LOG.info(() -> "Master keys: " + ring.describe());
        return ring;
    }

    private MasterKey fromFile(Path file) {
        try {
            Optional<String> existing = read(file);
            if (existing.isEmpty()) {
                generate(file);
                existing = read(file);
            }
            String content = existing.orElseThrow(() -> new IllegalStateException("The key file " + file
                    + " vanished while it was created"));
            return new MasterKey(decodeFile(content, file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the encryption key file " + file, e);
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void generate(Path file) throws IOException {
        byte[] key = new byte[MasterKey.BYTES];
        random.nextBytes(key);
        try {
            SecretFiles.writeOwnerOnly(file, Base64.getEncoder().encodeToString(key));
            LOG.warning(() -> "No encryption-key setting: generated " + file + " to seal provider API keys and the"
                    + " installation's keys. Back it up with the database, and give every instance that shares the"
                    + " database the same key (see docs/configuration.md).");
        } catch (FileAlreadyExistsException e) {
            // Another instance sharing this data directory generated it first; use theirs.
        }
    }

    private static byte[] decodeFile(String content, Path file) {
        try {
            byte[] key = Base64.getDecoder().decode(content.trim());
            if (key.length == MasterKey.BYTES) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalStateException("The encryption key file " + file + " does not hold base64 of 32 bytes"
                + " (content not shown): restore it from your backup, or set encryption-key");
    }

    private static byte[] decode(String value, String settingKey, String what) {
        try {
            byte[] key = Base64.getDecoder().decode(value);
            if (key.length != MasterKey.BYTES) {
                throw new InvalidSettingException(settingKey, "setting", what + " must be base64 of exactly 32"
                        + " bytes (e.g. `openssl rand -base64 32`), got " + key.length + " bytes");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(settingKey, "setting", what + " is not valid base64", e);
        }
    }
}
