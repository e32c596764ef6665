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
    private final ProblemExceptionMapper mapper = new ProblemExceptionMapper();

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
}
