/**
 * Projects: the {@link dev.llmproxy.project.Project} entity, its repository, and the encryption of provider API
 * keys at rest (AES-256-GCM, bound to the project's row, with a key id so keys can be rotated).
 */
package dev.llmproxy.project;
