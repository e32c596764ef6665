package dev.llmproxy.config;

import java.util.Optional;

/** One place settings can come from. Keys are lower-case with dashes, e.g. {@code data-dir}. */
public interface SettingSource {

    /** The raw value for {@code key}, if this source defines it. */
    Optional<String> lookup(String key);

    /** Where {@code key} would be read from, for error messages and docs, e.g. "system property llmproxy.data-dir". */
    String describe(String key);
}
