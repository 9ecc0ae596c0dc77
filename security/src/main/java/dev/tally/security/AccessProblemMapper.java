package dev.tally.security;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns {@link AccessProblem} into its problem+json answer in every service. */
public class AccessProblemMapper {

    @ServerExceptionMapper
    public Response accessProblem(AccessProblem problem) {
        return problem.toResponse();
    }
}
