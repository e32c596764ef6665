package dev.llmproxy.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.eclipse.jetty.http.HttpFields;

/**
 * The caller's request as the exchange needs it, read once from the servlet request: method, path (with and without
 * the query; the query without a {@code key} parameter, a credential: {@link QueryKey}), content type and headers.
 * Lets the exchange's parts be tested without a container.
 */
record CallerRequest(String method, String path, String pathAndQuery, String contentType, HttpFields headers) {

    static CallerRequest of(HttpServletRequest request, String path) {
        HttpFields.Mutable headers = HttpFields.build();
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                headers.add(name, value);
            }
        }
        String query = QueryKey.without(request.getQueryString());
        return new CallerRequest(request.getMethod(), path, query == null ? path : path + "?" + query,
                request.getContentType(), headers.asImmutable());
    }

    /** The first value of a header, or null. */
    String header(String name) {
        return headers.get(name);
    }
}
