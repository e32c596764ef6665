package dev.llmproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.project.DuplicateProjectNameException;
import dev.llmproxy.project.ProjectNotFoundException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class ProblemExceptionMapperTest {
    private boolean databaseDown;
    private final ProblemExceptionMapper mapper = new ProblemExceptionMapper(() -> databaseDown);

    private Problem problem(Response r) {
        assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        return (Problem) r.getEntity();
    }

    @Test
    void invalidFieldIs400NamingTheField() {
        Problem p = problem(mapper.toResponse(new InvalidFieldException("base_url", "is required")));
        assertEquals(400, p.status());
        assertEquals("base_url", p.field());
        assertEquals("invalid_field", p.code());
    }

    @Test
    void domainKindsMapToTheirStatus() {
        assertEquals(404, problem(mapper.toResponse(new ProjectNotFoundException("x"))).status());
        Problem conflict = problem(mapper.toResponse(new DuplicateProjectNameException("a")));
        assertEquals(409, conflict.status());
        assertEquals("project_name_taken", conflict.code());
    }

    @Test
    void unauthorizedCarriesABearerChallenge() {
        Response r = mapper.toResponse(new ManagementAuthFilter.Unauthorized("no"));
        assertEquals(401, r.getStatus());
        assertTrue(r.getHeaderString("WWW-Authenticate").startsWith("Bearer"));
    }

    @Test
    void malformedJsonIs400() {
        Problem p = problem(mapper.toResponse(new JsonParseException(null, "Unexpected character")));
        assertEquals(400, p.status());
        assertEquals("malformed_json", p.code());
    }

    @Test
    void unexpectedErrorsHideTheirMessage() {
        Problem p = problem(mapper.toResponse(new IllegalStateException("password=hunter2")));
        assertEquals(500, p.status());
        assertFalse(p.detail().contains("hunter2"));
    }

    @Test
    void aDatabaseFailureWhileTheDatabaseIsGoneIs503WithRetryAfter() {
        var failure = new jakarta.persistence.PersistenceException("Unable to acquire JDBC Connection",
                new java.sql.SQLException("Connection refused", "08001"));
        databaseDown = true;
        Response r = mapper.toResponse(failure);
        Problem p = problem(r);
        assertEquals(503, p.status());
        assertEquals("database_unavailable", p.code());
        assertEquals("5", r.getHeaderString("Retry-After"));
        assertFalse(p.detail().contains("Connection refused"), "no driver text for the caller: " + p.detail());
    }

    @Test
    void aDatabaseFailureWhileTheDatabaseAnswersIsAnIncident() {
        databaseDown = false;
        Problem p = problem(mapper.toResponse(new IllegalStateException("x", new java.sql.SQLException("bad", "42P01"))));
        assertEquals(500, p.status());
        assertEquals("internal_error", p.code());
    }

    @Test
    void otherFaultsDoNotAskTheDatabase() {
        ProblemExceptionMapper asking = new ProblemExceptionMapper(() -> {
            throw new AssertionError("readiness asked for a fault that is not the database's");
        });
        assertEquals(500, problem(asking.toResponse(new IllegalStateException("x"))).status());
    }

    @Test
    void aBodyOfTheWrongShapeNamesNoClassOfOurs() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        var wrongShape = org.junit.jupiter.api.Assertions.assertThrows(
                com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> json.readValue("[1,2]", CreateTokenRequest.class));
        Problem p = problem(mapper.toResponse(wrongShape));
        assertEquals(400, p.status());
        assertEquals("malformed_json", p.code());
        assertFalse(p.detail().contains("dev.llmproxy") || p.detail().contains("CreateTokenRequest"), p.detail());
    }

    @Test
    void aWriteTheDatabaseCannotTakeNowIs503EvenWhileItAnswersReads() {
        databaseDown = false; // a read-only standby or a full disk still answers the readiness check
        var readOnly = new jakarta.persistence.RollbackException("Error while committing the transaction",
                new java.sql.SQLException("cannot execute INSERT in a read-only transaction", "25006"));
        Response r = mapper.toResponse(readOnly);
        assertEquals(503, problem(r).status());
        assertEquals("database_unavailable", problem(r).code());
        assertEquals("5", r.getHeaderString("Retry-After"));
        var diskFull = new jakarta.persistence.PersistenceException("could not execute statement",
                new java.sql.SQLException("could not extend file: No space left on device", "53100"));
        assertEquals(503, problem(mapper.toResponse(diskFull)).status());
    }
}
