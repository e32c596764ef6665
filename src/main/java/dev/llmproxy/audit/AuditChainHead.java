package dev.llmproxy.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The end of the chain (one row, id 1): appending locks it, which keeps the chain linear across instances. */
@Entity
@Table(name = "audit_chain_head")
public class AuditChainHead {
    static final int ID = 1;

    @Id
    private Integer id;
    @Column(name = "last_event_id")
    private Long lastEventId;
    @Column(name = "last_mac")
    private String lastMac;

    protected AuditChainHead() {
        // for JPA
    }

    String lastMac() {
        return lastMac;
    }

    Long lastEventId() {
        return lastEventId;
    }

    void advance(AuditEvent event) {
        this.lastEventId = event.id();
        this.lastMac = event.mac();
    }
}
