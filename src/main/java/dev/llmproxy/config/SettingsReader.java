package dev.llmproxy.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads typed values from an ordered list of sources; the first source that defines a key wins.
 * Every failure names the key and the source the bad value came from.
 */
public final class SettingsReader {
    private final List<SettingSource> sources;

    public SettingsReader(List<SettingSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** A raw value and the source it came from. */
    public record Raw(String value, String origin) {}

    public Optional<Raw> raw(String key) {
        for (SettingSource source : sources) {
            Optional<String> value = source.lookup(key).map(String::trim);
            if (value.isPresent() && !value.get().isEmpty()) {
                return Optional.of(new Raw(value.get(), source.describe(key)));
            }
        }
        return Optional.empty();
    }

    public Optional<String> optionalString(String key) {
        return raw(key).map(Raw::value);
    }

    /** An optional secret, which must be at least {@code minLength} characters; never echoed in errors. */
    public Optional<String> optionalSecret(String key, int minLength) {
        Optional<Raw> raw = raw(key);
        raw.ifPresent(r -> {
            if (r.value().length() < minLength) {
                throw new InvalidSettingException(key, r.origin(),
                        "must be at least " + minLength + " characters long (value not shown)");
            }
        });
        return raw.map(Raw::value);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return raw(key).map(r -> parseInteger(key, r, min, max)).orElse(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return raw(key).map(r -> switch (r.value().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new InvalidSettingException(key, r.origin(),
                    "must be true or false, got '" + r.value() + "'");
        }).orElse(defaultValue);
    }

    public Path path(String key, Path defaultValue) {
        return raw(key).map(r -> {
            try {
                return Path.of(r.value()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new InvalidSettingException(key, r.origin(), "is not a valid path: " + e.getMessage(), e);
            }
        }).orElse(defaultValue);
    }

    private static int parseInteger(String key, Raw raw, int min, int max) {
        try {
            int value = Integer.parseInt(raw.value());
            if (value < min || value > max) {
                throw new InvalidSettingException(key, raw.origin(),
                        "must be from " + min + " to " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, raw.origin(),
                    "must be a whole number from " + min + " to " + max + ", got '" + raw.value() + "'", e);
        }
    }
}
