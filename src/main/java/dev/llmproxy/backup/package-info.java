/**
 * Consistent snapshots of a live SQLite database ({@code VACUUM INTO}) while the proxy keeps serving; PostgreSQL is
 * backed up with its own tools ({@code pg_dump}).
 */
package dev.llmproxy.backup;
