package dev.llmproxy.project;

import dev.llmproxy.DomainException;

public final class UpstreamNotFoundException extends DomainException {
    UpstreamNotFoundException(String projectId, String upstreamId) {
        super(Kind.NOT_FOUND, "upstream_not_found", "Project '" + projectId + "' has no upstream with id '"
                + upstreamId + "'");
    }
}
