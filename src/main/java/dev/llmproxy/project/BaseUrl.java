package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Validates an upstream base URL: absolute http(s), no query, fragment or credentials; trailing slash removed. */
public final class BaseUrl {
    private BaseUrl() {
    }

    public static String normalize(String field, String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new InvalidFieldException(field, "must be an absolute http or https URL, got '" + value + "'");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new InvalidFieldException(field, "must not contain a query, fragment or credentials");
            }
            String text = uri.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.endsWith("/v1")) {
                throw new InvalidFieldException(field, "is the part before /v1; drop the trailing /v1");
            }
            return text;
        } catch (URISyntaxException e) {
            throw new InvalidFieldException(field, "is not a valid URL: " + e.getReason());
        }
    }
}
