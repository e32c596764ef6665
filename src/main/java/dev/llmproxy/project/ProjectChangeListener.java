package dev.llmproxy.project;

/** Told after a project's state changed (deactivated, key or URL replaced), so caches drop what they hold of it. */
@FunctionalInterface
public interface ProjectChangeListener {
    void projectChanged(String projectId);
}
