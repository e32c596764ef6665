package dev.llmproxy.config;

import java.util.Arrays;
import java.util.List;

/**
 * @param trustedProxies        addresses of reverse proxies whose {@code X-Forwarded-For} is believed for the
 *                              client IP in audit events; from anyone else the header is ignored
 * @param securityWindowSeconds refused proxy tokens and management logins are counted per client IP over this
 *                              window and audited as one event, not one row per attempt
 */
public record AuditSettings(List<String> trustedProxies, int securityWindowSeconds) {
    public static final String TRUSTED_PROXIES = "trusted-proxies";
    public static final String SECURITY_WINDOW_SECONDS = "security-event-window-seconds";

    static AuditSettings read(SettingsReader reader) {
        List<String> proxies = reader.optionalString(TRUSTED_PROXIES)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        return new AuditSettings(proxies, reader.integer(SECURITY_WINDOW_SECONDS, 60, 1, 3_600));
    }
}
