/**
 * Persistence plumbing only: finding the DataSource (the container's {@code java:comp/env/jdbc/llmproxy} or an
 * embedded SQLite file), enforcing SQLite connection settings, running the dialect's Liquibase changelog, and the
 * EntityManagerFactory's life cycle. Entities and their repositories live in their capability's package.
 */
package dev.llmproxy.persistence;
