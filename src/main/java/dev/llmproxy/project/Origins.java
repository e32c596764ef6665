package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** Validates browser origins for a CORS allowlist: {@code scheme://host[:port]}, http or https, nothing more. */
public final class Origins {
    private Origins() {
    }

    public static List<String> validate(List<String> origins) {
        return origins.stream().map(Origins::validate).toList();
    }

    private static String validate(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new InvalidFieldException("allowed_origins", "entries are origins like https://app.example.com"
                        + " (scheme, host, optional port; no path, no '*'), got '" + origin + "'");
            }
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("allowed_origins", "'" + origin + "' is not an origin: " + e.getReason());
        }
    }
}
