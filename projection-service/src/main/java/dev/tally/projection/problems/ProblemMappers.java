package dev.tally.projection.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tally.problems.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * What the operations API's resources throw, as problem+json: a wrong method, media type or body
 * (from RESTEasy) and anything unexpected. Errors made before a resource runs are the security
 * module's {@code HttpLayerErrors}.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException) {
            return problem(400, "validation", "The body is not the JSON this endpoint expects.");
        }
        int status = e.getResponse().getStatus();
        return problem(status, Problem.codeFor(status), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return problem(400, "validation", "The body is not the JSON this endpoint expects.");
    }

    /** Quarkus ships its own mapper for this exact type (an empty 400); ours must be as specific to win. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return problem(400, "validation", "The body is not the JSON this endpoint expects.");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        return problem(500, "internal-error", "Something went wrong on our side.");
    }

    private static Response problem(int status, String code, String detail) {
        return Problem.of(status, code, detail).toResponse();
    }
}
