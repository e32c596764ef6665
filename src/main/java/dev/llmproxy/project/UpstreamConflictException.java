package dev.llmproxy.project;

import dev.llmproxy.DomainException;

/** A change to a project's upstreams that its other upstreams rule out (a duplicate name, removing the last). */
public final class UpstreamConflictException extends DomainException {
    UpstreamConflictException(String code, String message) {
        super(Kind.CONFLICT, code, message);
    }
}
