package dev.tally.command.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tally.problems.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where this service's failures become problem+json; a {@code ProblemException} its
 * code throws is answered by the problems module's {@code ProblemExceptionMapper}. Nothing reaches a
 * client as a bare 500 page.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response timeout(CommandTimeoutException e) {
        return Response.fromResponse(Problem.of(503, "command-timeout", e.getMessage()
                        + ". Retry with the same Idempotency-Key.").toResponse())
                .header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return invalidJson(e).toResponse();
    }

    /** Quarkus ships its own mapper for this exact type (an empty 400); ours must be as specific to win. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return invalidJson(e).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return invalidJson(json).toResponse();
        }
        int status = e.getResponse().getStatus();
        return Problem.of(status, Problem.codeFor(status), e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "internal-error", "Something went wrong on our side; nothing was changed if no "
                + "success was reported.").toResponse();
    }

    private static Problem invalidJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return Problem.validation(List.of(new Problem.FieldError(unknown.getPropertyName(), "is not a known field")));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return Problem.validation(List.of(new Problem.FieldError(field, "has the wrong type or shape")));
        }
        // Still a validation problem with the list of what to fix: here, the body as a whole.
        return Problem.validation(List.of(new Problem.FieldError("body",
                "is not the JSON this endpoint expects: " + e.getOriginalMessage())));
    }
}
