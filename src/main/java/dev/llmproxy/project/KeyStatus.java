package dev.llmproxy.project;

import java.time.Instant;
import java.util.List;

/**
 * What the database holds sealed under which master key: {@code GET /manage/keys}. Older keys may be dropped from
 * {@code encryption-keys-retired} once {@link #pendingReEncryption()} is 0 (on every instance's view: an instance
 * still running without the new key seals under the old one).
 *
 * @param currentKeyId        the key new secrets are sealed with
 * @param keys                every key id in this instance's ring or found in the database
 * @param pendingReEncryption secrets not sealed under the current key in the current format
 * @param olderKeysRetirable  nothing is sealed under any key but the current one: retired keys can go
 */
public record KeyStatus(String currentKeyId, List<KeyUse> keys, long pendingReEncryption,
                        boolean olderKeysRetirable) {

    KeyStatus(String currentKeyId, List<KeyUse> keys, long pendingReEncryption) {
        this(currentKeyId, List.copyOf(keys), pendingReEncryption, pendingReEncryption == 0);
    }

    /**
     * @param status           {@code current}, {@code retired} (in the ring, opens only) or {@code not_configured}
     * @param providerKeys     provider API keys sealed under it
     * @param legacyFormat     of those, how many are in the format before #14
     * @param installationKeys installation data keys sealed under it
     * @param checkStoredAt    when its check value was stored in the database; null if never
     */
    public record KeyUse(String keyId, String status, long providerKeys, long legacyFormat, long installationKeys,
                         Instant checkStoredAt) {}
}
