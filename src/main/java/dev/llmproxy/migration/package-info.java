/**
 * Moving a whole LLM Proxy database between SQLite and PostgreSQL (either direction): the target is migrated with
 * the same Liquibase changelogs, every table is copied in batches, then row counts and per-table checksums are
 * compared. Run from the exploded WAR ({@link MigrateDatabase}); see docs/operations.md.
 */
package dev.llmproxy.migration;
