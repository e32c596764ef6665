package dev.llmproxy.audit;

import java.util.Map;

/** What happened, without secrets: {@code details} holds names, hints and ids, never keys or tokens. */
public record AuditEntry(AuditAction action, String targetType, String targetId, String outcome,
                         Map<String, Object> details) {
    /** Details from key, value pairs; null values are left out. */
    public static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }

    public static AuditEntry success(AuditAction action, String targetType, String targetId, Map<String, Object> details) {
        return new AuditEntry(action, targetType, targetId, "success", details);
    }
}
