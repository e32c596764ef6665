package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WAR's error page (web.xml): whatever the container answers with an error inside this application (a path no
 * servlet serves, an uncaught fault), the caller gets JSON, never the container's HTML page or a stack trace. On the
 * proxy's paths ({@link #proxied}) it is the error shape of the path's API that the SDKs read (a 404 or 503 there
 * is 503 {@code proxy_shutting_down}: the proxy servlet is not there because the application is being redeployed);
 * elsewhere problem JSON (RFC 9457). No exception's text is shown; a fault is logged.
 */
public final class ErrorPageServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());
    /** The roots web.xml maps to the token filter and the proxy servlet. */
    private static final String[] PROXIED = {"/v1", "/openai", "/v1beta", "/v1beta1", "/model"};
    private final OpenAiErrors errors = new OpenAiErrors();

    /** A container error as the proxy's own. */
    private static final class ContainerError extends DomainException {
        ContainerError(Kind kind, String code, String message) {
            super(kind, code, message);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 404;
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? req.getRequestURI() : uri.toString();
        Object failure = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable t) {
            LOG.log(Level.SEVERE, "Unhandled fault on " + req.getMethod() + " "
                    + path, t);
        }
        if (resp.isCommitted()) {
            return;
        }
        ContainerError error = errorFor(status);
        if (proxied(path.substring(req.getContextPath().length()))) {
            resp.setStatus(status);
            // The proxy servlet serves every path under /v1, /openai and /v1beta: the container finding none there
            // (404), or it not available (503), means the application is being deployed or undeployed, as during a
            // redeploy (#14).
            errors.write(path.substring(req.getContextPath().length()), resp,
                    status == 404 || status == 503 ? ProxyRefusal.shuttingDown() : error);
        } else {
            problem(resp, status, error);
        }
    }

    private static ContainerError errorFor(int status) {
        return switch (status) {
            case 400 -> new ContainerError(DomainException.Kind.INVALID, "bad_request", "The request is malformed");
            case 404 -> new ContainerError(DomainException.Kind.NOT_FOUND, "not_found", "Nothing is served here");
            case 405 -> new ContainerError(DomainException.Kind.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "The method is not allowed here");
            case 408 -> new ContainerError(DomainException.Kind.REQUEST_TIMEOUT, "request_timeout",
                    "The request did not arrive in time");
            case 413 -> new ContainerError(DomainException.Kind.TOO_LARGE, "request_too_large",
                    "The request is too large");
            case 415 -> new ContainerError(DomainException.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "The request's media type is not supported");
            case 501 -> new ContainerError(DomainException.Kind.NOT_IMPLEMENTED, "not_implemented",
                    "The method is not implemented here");
            case 503 -> new ContainerError(DomainException.Kind.UNAVAILABLE, "service_unavailable",
                    "The service is not available now; try again");
            default -> status >= 500
                    ? new ContainerError(DomainException.Kind.INTERNAL, "internal_error",
                            "The server failed to handle this request; its log has the details")
                    : new ContainerError(DomainException.Kind.INVALID, "http_" + status, "The request was refused");
        };
    }

    private static void problem(HttpServletResponse resp, int status, ContainerError error) throws IOException {
        resp.resetBuffer();
        resp.setStatus(status);
        resp.setContentType("application/problem+json");
        resp.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"urn:llm-proxy:problem:" + error.code() + "\",\"title\":\"" + error.getMessage()
                + "\",\"status\":" + status + ",\"detail\":\"" + error.getMessage() + "\",\"code\":\"" + error.code()
                + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /**
     * The proxy's paths (web.xml): {@code /v1}, Azure OpenAI's {@code /openai}, Gemini's {@code /v1beta}, Vertex AI's
     * {@code /v1beta1}.
     */
    static boolean proxied(String path) {
        for (String root : PROXIED) {
            if (path.equals(root) || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }
}
