package dev.tally.security;

import dev.tally.problems.Problem;
import jakarta.ws.rs.core.Response;

/**
 * A request refused for who sent it: 401 {@code unauthorized} (no valid token) or 403
 * {@code forbidden} (a valid token without the right). Answered as {@code application/problem+json}
 * like every other error (see {@link AccessProblemMapper}).
 */
public final class AccessProblem extends RuntimeException {

    private final int status;
    private final String code;

    private AccessProblem(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static AccessProblem unauthorized(String detail) {
        return new AccessProblem(401, "unauthorized", detail);
    }

    public static AccessProblem forbidden(String detail) {
        return new AccessProblem(403, "forbidden", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The problem document, the same type as the services' own problems. */
    public Problem problem() {
        return Problem.of(status, code, getMessage());
    }

    public Response toResponse() {
        Response.ResponseBuilder response = problem().builder();
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }
}
