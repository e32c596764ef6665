package dev.llmproxy.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One link of the audit chain. Never updated after insert. */
@Entity
@Table(name = "audit_events")
public class AuditEvent {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "created_at")
    private Instant createdAt;
    private String action;
    private String actor;
    @Column(name = "client_ip")
    private String clientIp;
    @Column(name = "target_type")
    private String targetType;
    @Column(name = "target_id")
    private String targetId;
    private String outcome;
    private String details;
    @Column(name = "prev_mac")
    private String prevMac;
    private String mac;

    protected AuditEvent() {
        // for JPA
    }

    AuditEvent(Instant createdAt, Actor actor, AuditEntry entry, String details, String prevMac, AuditMac macs) {
        this.createdAt = createdAt;
        this.action = entry.action().id();
        this.actor = actor.name();
        this.clientIp = actor.clientIp();
        this.targetType = entry.targetType();
        this.targetId = entry.targetId();
        this.outcome = entry.outcome();
        this.details = details;
        this.prevMac = prevMac;
        this.mac = macs.of(this);
    }

    /** The fields the MAC covers, in a fixed order with unambiguous separators. */
    String canonical() {
        return String.join("\u001f", String.valueOf(createdAt.toEpochMilli()), action, actor,
                String.valueOf(clientIp), String.valueOf(targetType), String.valueOf(targetId), outcome,
                String.valueOf(details), prevMac);
    }

    public Long id() {
        return id;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public String action() {
        return action;
    }

    public String actor() {
        return actor;
    }

    public String clientIp() {
        return clientIp;
    }

    public String targetType() {
        return targetType;
    }

    public String targetId() {
        return targetId;
    }

    public String outcome() {
        return outcome;
    }

    public String details() {
        return details;
    }

    public String prevMac() {
        return prevMac;
    }

    public String mac() {
        return mac;
    }
}
