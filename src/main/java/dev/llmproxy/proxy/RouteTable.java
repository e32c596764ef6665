package dev.llmproxy.proxy;

import dev.llmproxy.config.InvalidSettingException;
import dev.llmproxy.config.ProxySettings;
import dev.llmproxy.project.Provider;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which methods and paths are proxied for each provider, from settings such as {@code openai-routes = "POST
 * /v1/chat/completions, GET /v1/models/*"} (a provider's default routes are in its definition): {@code *} matches one
 * path segment, {@code *:verb} one that ends with {@code :verb} after at least one character (Google's custom methods,
 * {@code /v1beta/models/*:generateContent}), a final {@code **} any rest. Anything else is refused before it reaches
 * the provider: 404 for an unknown path, 405 (with the allowed methods) for a known path and another method. A route
 * names the API it reaches, recorded with each call: its literal segments after {@code /v1}, joined by dots ({@code
 * POST /v1/chat/completions} is {@code chat.completions}, {@code POST /v1/responses/*}{@code /cancel} is {@code
 * responses.cancel}, {@code POST /v1beta/models/*:generateContent} is {@code models.generateContent}).
 */
public final class RouteTable {
    private record Route(String method, String[] segments) {
        /**
         * The literal segments after the API's prefix ({@code /v1}, {@code /v1beta}, Azure's {@code /openai/v1} and
         * {@code /openai/deployments/*}, Google's {@code /v1beta/openai}), joined by dots; {@code *} and {@code **}
         * name no API, {@code *:verb} its verb.
         */
        String api() {
            List<String> named = new ArrayList<>();
            for (int i = prefixLength(); i < segments.length; i++) {
                if (segments[i].startsWith("*:")) {
                    named.add(segments[i].substring(2));
                } else if (!segments[i].equals("*") && !segments[i].equals("**")) {
                    named.add(segments[i]);
                }
            }
            return named.isEmpty() ? "v1" : String.join(".", named);
        }

        private int prefixLength() {
            if (segments.length > 2 && segments[0].equals("openai") && segments[1].equals("deployments")) {
                return 3;
            }
            if (segments.length > 4 && segments[1].equals("projects") && segments[3].equals("locations")) {
                return 5; // Vertex AI's /v1/projects/*/locations/*
            }
            boolean twoSegments = segments.length > 1 && (segments[0].equals("openai") && segments[1].equals("v1")
                    || segments[0].equals("v1beta") && segments[1].equals("openai"));
            return twoSegments ? 2 : 1;
        }

        boolean matchesPath(String[] path) {
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].equals("**") && i == segments.length - 1) {
                    return path.length >= segments.length;
                }
                if (i >= path.length || !matchesSegment(segments[i], path[i])) {
                    return false;
                }
            }
            return path.length == segments.length;
        }

        private static boolean matchesSegment(String pattern, String segment) {
            if (pattern.startsWith("*:")) {
                String verb = pattern.substring(1);
                return segment.length() > verb.length() && segment.endsWith(verb);
            }
            return pattern.equals("*") || pattern.equals(segment);
        }
    }

    private final Map<Provider, List<Route>> routes;

    private RouteTable(Map<Provider, List<Route>> routes) {
        this.routes = routes;
    }

    public static RouteTable from(ProxySettings settings) {
        Map<Provider, List<Route>> routes = new EnumMap<>(Provider.class);
        for (Provider provider : Provider.values()) {
            String key = ProxySettings.routesKey(provider.id());
            routes.put(provider, parse(key, settings.routes().getOrDefault(provider.id(),
                    provider.definition().defaultRoutes())));
        }
        return new RouteTable(routes);
    }

    static List<Route> parse(String key, String spec) {
        List<Route> parsed = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split("\\s+");
            if (parts.length != 2 || !parts[1].startsWith("/") || parts[1].length() < 2) {
                throw new InvalidSettingException(key, "setting", "each entry must be 'METHOD /path', got '"
                        + entry.trim() + "'");
            }
            parsed.add(new Route(parts[0].toUpperCase(Locale.ROOT), segments(parts[1])));
        }
        return List.copyOf(parsed);
    }

    /**
     * The API that {@code method path} reaches for {@code provider} (see the class comment); throws
     * {@link ProxyRefusal} unless it is allowed.
     */
    public String check(Provider provider, String method, String path) {
        String[] segments = segments(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes.get(provider)) {
            if (route.matchesPath(segments)) {
                if (route.method().equals(method)) {
                    return route.api();
                }
                allowed.add(route.method());
            }
        }
        if (allowed.isEmpty()) {
            throw ProxyRefusal.unknownPath(provider.id(), path);
        }
        throw ProxyRefusal.methodNotAllowed(method, path, String.join(", ", allowed));
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
