package dev.tally.problems;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers a {@link ProblemException} with its problem, in every service. What else a service maps
 * (its own exceptions, unreadable JSON, unexpected failures) stays in that service's mappers.
 */
public class ProblemExceptionMapper {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }
}
