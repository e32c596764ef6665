package dev.llmproxy.admin;

import dev.llmproxy.DomainException;
import dev.llmproxy.audit.AuditEvent;
import dev.llmproxy.audit.AuditLog;
import dev.llmproxy.audit.AuditQuery;
import dev.llmproxy.persistence.PageRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code /manage/audit}: the audit trail, newest first, one event, and a verification of the whole chain. */
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    private static final com.fasterxml.jackson.databind.ObjectMapper DETAILS_READER =
            dev.llmproxy.JsonFactories.mapper();
    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public PageView<Map<String, Object>> list(@QueryParam("action") String action,
                                              @QueryParam("target_id") String targetId,
                                              @QueryParam("actor") String actor, @QueryParam("from") String from,
                                              @QueryParam("to") String to, @QueryParam("page") String page,
                                              @QueryParam("page_size") String pageSize) {
        var range = UsageResource.filter(from, to, null, null, null, null);
        var query = new AuditQuery(present(action), present(targetId), present(actor), range.from(), range.to());
        return PageView.of(audit.list(query, PageRequest.parse(page, pageSize)).map(AuditResource::view));
    }

    /** Registered before {@code {id}} so that "verify" is not taken for an id. */
    @GET
    @Path("verify")
    public Map<String, Object> verify() {
        AuditLog.VerifyResult result = audit.verify();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", result.valid());
        body.put("checked", result.checked());
        if (!result.valid()) {
            body.put("first_broken_id", result.firstBrokenId());
        }
        return body;
    }

    @GET
    @Path("{id: [0-9]+}")
    public Map<String, Object> get(@PathParam("id") long id) {
        return view(audit.get(id).orElseThrow(() -> new EventNotFound(id)));
    }

    static Map<String, Object> view(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("created_at", e.createdAt().toString());
        m.put("action", e.action());
        m.put("actor", e.actor());
        m.put("client_ip", e.clientIp());
        m.put("target_type", e.targetType());
        m.put("target_id", e.targetId());
        m.put("outcome", e.outcome());
        m.put("details", details(e.details()));
        m.put("mac", e.mac());
        return m;
    }

    private static Object details(String json) {
        if (json == null) {
            return null;
        }
        try {
            return DETAILS_READER.readValue(json, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json; // stored text that is not JSON any more: show it as it is (verify will flag the row)
        }
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    static final class EventNotFound extends DomainException {
        EventNotFound(long id) {
            super(Kind.NOT_FOUND, "audit_event_not_found", "No audit event with id " + id);
        }
    }
}
