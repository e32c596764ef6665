package dev.llmproxy.project;

import dev.llmproxy.DomainException;

public final class ProjectNotFoundException extends DomainException {
    public ProjectNotFoundException(String id) {
        super(Kind.NOT_FOUND, "project_not_found", "No project with id '" + id + "'");
    }
}
