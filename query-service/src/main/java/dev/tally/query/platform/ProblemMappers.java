package dev.tally.query.platform;

import dev.tally.problems.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * This service's failures become problem+json here; a {@code ProblemException} its code throws is
 * answered by the problems module's {@code ProblemExceptionMapper}.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Problem.of(status, Problem.codeFor(status), e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "internal-error", "Something went wrong on our side.").toResponse();
    }
}
