package dev.llmproxy.token;

import dev.llmproxy.DomainException;
import dev.llmproxy.audit.Actor;
import dev.llmproxy.audit.AuditAction;
import dev.llmproxy.audit.AuditEntry;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.limits.Budget;
import dev.llmproxy.limits.RateLimit;
import dev.llmproxy.persistence.Jpa;
import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.project.ProjectRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** The token use cases the admin API offers, each one transaction; every change drops the gate's cached copy. */
public final class Tokens {
    private final Jpa jpa;
    private final AuditLog audit;
    private final TokenRepository tokens;
    private final ProjectRepository projects;
    private final TokenSecrets secrets;
    private final TokenGate gate;
    private final Clock clock;

    public Tokens(Jpa jpa, AuditLog audit, TokenRepository tokens, ProjectRepository projects, TokenSecrets secrets,
                  TokenGate gate, Clock clock) {
        this.jpa = jpa;
        this.audit = audit;
        this.tokens = tokens;
        this.projects = projects;
        this.secrets = secrets;
        this.gate = gate;
        this.clock = clock;
    }

    public IssuedToken issue(Actor actor, String projectId, Instant expiresAt, Long maxRequests, String name,
                             Optional<Budget> budget, RateLimit rateLimit) {
        return audit.audited(actor, em -> {
            var project = projects.require(em, projectId);
            if (!project.isActive()) {
                throw new InactiveProjectException(projectId);
            }
            String plain = secrets.generate();
            Token token = new Token(projectId, name, secrets.hash(plain), TokenSecrets.hint(plain), expiresAt,
                    maxRequests, clock.instant());
            token.changeBudget(budget, clock.instant());
            token.changeRateLimit(rateLimit, clock.instant());
            em.persist(token);
            return new IssuedToken(token, plain);
        }, issued -> event(AuditAction.TOKEN_CREATED, issued.token()));
    }

    private static AuditEntry event(AuditAction action, Token t) {
        return AuditEntry.success(action, "token", t.id(), AuditEntry.details("project_id", t.projectId(),
                "token_hint", t.tokenHint(), "name", t.name().orElse(null), "expires_at", t.expiresAt().toString(),
                "max_requests", t.maxRequests().orElse(null),
                "budget_micros", t.budget().map(Budget::limitMicros).orElse(null),
                "budget_period", t.budget().map(b -> b.period().id()).orElse(null),
                "rpm_limit", t.rateLimit().requestsPerMinute(), "tpm_limit", t.rateLimit().tokensPerMinute()));
    }

    public Token get(String id) {
        return jpa.inTransaction(em -> tokens.require(em, id));
    }

    public Page<Token> list(Optional<String> projectId, Optional<Boolean> active, PageRequest page) {
        return jpa.inTransaction(em -> tokens.list(em, projectId, active, clock.instant(), page));
    }

    public Token update(Actor actor, String id, TokenChanges changes) {
        Token updated = audit.audited(actor, em -> {
            Token token = tokens.require(em, id);
            Instant now = clock.instant();
            changes.name().ifPresent(n -> token.rename(n.orElse(null), now));
            changes.maxRequests().ifPresent(m -> token.changeMaxRequests(m.orElse(null), now));
            changes.expiresAt().ifPresent(at -> token.changeExpiry(at, now));
            changes.budget().ifPresent(b -> token.changeBudget(b, now));
            if (changes.rpmLimit().isPresent() || changes.tpmLimit().isPresent()) {
                token.changeRateLimit(token.rateLimit().with(changes.rpmLimit(), changes.tpmLimit()), now);
            }
            return token;
        }, t -> event(AuditAction.TOKEN_UPDATED, t));
        gate.tokenChanged(updated.tokenHash());
        return updated;
    }

    /** Revokes for good; revoking a revoked token changes nothing. */
    public Token revoke(Actor actor, String id) {
        Token revoked = audit.audited(actor, em -> {
            Token token = tokens.require(em, id);
            token.revoke(clock.instant());
            return token;
        }, t -> event(AuditAction.TOKEN_REVOKED, t));
        gate.tokenChanged(revoked.tokenHash());
        return revoked;
    }

    /** Revokes every live token of a project in one transaction; returns how many. */
    public int revokeAllOfProject(Actor actor, String projectId) {
        int count = audit.audited(actor, em -> {
            projects.require(em, projectId);
            return tokens.revokeAllOfProject(em, projectId, clock.instant());
        }, n -> AuditEntry.success(AuditAction.PROJECT_TOKENS_REVOKED, "project", projectId,
                AuditEntry.details("revoked_count", n)));
        gate.projectChanged(projectId);
        return count;
    }

    /** Tokens are issued for active projects only. */
    public static final class InactiveProjectException extends DomainException {
        InactiveProjectException(String projectId) {
            super(Kind.CONFLICT, "project_inactive", "Project '" + projectId + "' is deactivated; activate it"
                    + " (PATCH is_active=true) before issuing tokens");
        }
    }
}
