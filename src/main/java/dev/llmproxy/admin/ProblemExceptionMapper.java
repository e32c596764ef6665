package dev.llmproxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.llmproxy.DomainException;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.persistence.DatabaseFailures;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The one place where the admin API's exceptions become responses: problem JSON, RFC 9457. A failure of the database
 * that says it cannot serve now (gone, read-only, its disk full: {@link DatabaseFailures}), or any database failure
 * while readiness finds the database gone, is 503 {@code database_unavailable} with {@code Retry-After}, not an
 * incident.
 */
@Provider
public final class ProblemExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class.getName());
    private final BooleanSupplier databaseDown;

    /** @param databaseDown whether the database does not answer now (the cached readiness check) */
    public ProblemExceptionMapper(BooleanSupplier databaseDown) {
        this.databaseDown = databaseDown;
    }

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable error = databaseGone(thrown) ? new DatabaseUnavailableException(thrown) : thrown;
        Problem problem = problemFor(error);
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (error instanceof DomainException e && e.retryAfterSeconds() != null) {
            response.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        if (problem.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"llm-proxy-management\"");
        }
        if (error instanceof WebApplicationException wae && wae.getResponse().getHeaderString("Allow") != null) {
            response.header("Allow", wae.getResponse().getHeaderString("Allow"));
        }
        return response.build();
    }

    private boolean databaseGone(Throwable error) {
        if (error instanceof DomainException || error instanceof WebApplicationException) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof PersistenceException) {
                if (DatabaseFailures.unavailable(t) || databaseDown.getAsBoolean()) {
                    LOG.warning(() -> "Admin call failed while the database does not answer: " + error);
                    return true;
                }
                return false;
            }
        }
        return false;
    }

    private Problem problemFor(Throwable error) {
        if (error instanceof InvalidFieldException e) {
            return Problem.of(400, "Bad Request", e.code(), e.getMessage(), e.field());
        }
        if (error instanceof DomainException e) {
            int status = e.kind().status();
            return Problem.of(status, reasonPhrase(status), e.code(), e.getMessage(), null);
        }
        if (error instanceof JsonProcessingException e) {
            return jsonProblem(e);
        }
        if (error instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return Problem.of(status, reasonPhrase(status), codeForStatus(status), e.getMessage(), null);
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Admin API internal error, incident " + incident, error);
        return Problem.of(500, "Internal Server Error", "internal_error",
                "An unexpected error occurred; the server log has incident " + incident, null);
    }

    private static Problem jsonProblem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.of(400, "Bad Request", "unknown_field",
                    "Unknown field '" + u.getPropertyName() + "'", u.getPropertyName());
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : String.valueOf(r.getIndex())).collect(Collectors.joining("."));
            return Problem.of(400, "Bad Request", "invalid_field",
                    "'" + field + "' has the wrong type or format", field);
        }
        if (e instanceof StreamReadException) { // the parser's words name the input, never a class of ours
            return Problem.of(400, "Bad Request", "malformed_json",
                    "The request body is not valid JSON: " + e.getOriginalMessage(), null);
        }
        // e.g. an array where an object belongs: Jackson's message would name the Java type it was read into
        return Problem.of(400, "Bad Request", "malformed_json", "The request body must be a JSON object with the"
                + " fields this call takes", null);
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    private static String codeForStatus(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
    }
}
