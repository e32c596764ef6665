package dev.llmproxy.project;

import dev.llmproxy.DomainException;

public final class DuplicateProjectNameException extends DomainException {
    public DuplicateProjectNameException(String name) {
        super(Kind.CONFLICT, "project_name_taken", "A project named '" + name + "' already exists");
    }
}
