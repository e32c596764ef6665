package dev.llmproxy.backup;

import java.time.Instant;

/** A snapshot written by {@link Backups}: where, how large, its SHA-256, and how many request records it holds. */
public record Backup(String path, long sizeBytes, String sha256, Instant createdAt, long requestRecords) {
}
